export * from "./common";
export * from "./app";
export * from "./preset";
export * from "./meeting";
export * from "./webhook";
export * from "./walk";
export * from "./config";
export * from "./lookups";
