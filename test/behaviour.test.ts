// One list of scenarios (test/behaviour/scenarios.ts), two front doors: the
// dynamic provider and the plugin run the same lifecycle, and this suite keeps
// them from drifting apart.
import { describe } from "vitest";
import { dynamicDoor, pluginDoor } from "./behaviour/doors";
import { scenarios } from "./behaviour/scenarios";

describe.each([dynamicDoor, pluginDoor])("through $name", (door) => scenarios(door));
