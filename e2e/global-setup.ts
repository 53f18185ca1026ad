import type { TestProject } from "vitest/node";
import { startStack } from "../scripts/stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    origin: string;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide("origin", stack.origin);
  return () => stack.stop();
}
