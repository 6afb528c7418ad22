export * from "./defaults";
export * from "./roles";
export * from "./merge";
export * from "./desired";
export * from "./closest";
