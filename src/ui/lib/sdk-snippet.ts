/**
 * The three lines that send a first trace to this server, shown by the UI's empty states: the server URL
 * is the one the page was loaded from, the project the one being looked at.
 */
export function sdkSnippet(serverUrl: string, projectId: string): string {
  return [
    "import { init, op } from 'weft';",
    `await init({ project: ${JSON.stringify(projectId)}, serverUrl: ${JSON.stringify(serverUrl)} });`,
    "await op(async function hello(name: string) { return `Hello, ${name}!`; })('world');",
  ].join('\n');
}

/** A project name for the snippet when there is no project yet. */
export const EXAMPLE_PROJECT = 'my-team/my-project';
