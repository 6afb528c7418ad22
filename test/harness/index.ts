// The tests' engine is the repository's offline engine (engine/): kept importable here.
export * from "../../engine";
