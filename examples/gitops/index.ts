// The Pulumi program: its exports are the stack outputs. The resources live in
// ./program so that tests can run the same program as a function.
import { gitops } from "./program";

export = gitops();
