/** Types of serve.mjs, for the browser test (e2e/embed.test.ts). */
export function examplePage(origin: string, options?: { room?: string | null; shop?: string | null; lang?: string | null }): string;
export function startExampleServer(options?: { port?: number; origin?: string; host?: string }): Promise<{ origin: string; close(): Promise<void> }>;
