export * from "./common";
export * from "./app";
export * from "./preset";
export * from "./meeting";
export * from "./webhook";
export * from "./participant";
export * from "./walk";
