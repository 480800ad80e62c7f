/** The only place the SDK reads environment variables. */
export interface SdkEnv {
  project: string | undefined;
  serverUrl: string | undefined;
  apiKey: string | undefined;
}

export function readSdkEnv(env: NodeJS.ProcessEnv = process.env): SdkEnv {
  return {
    project: env.WEFT_PROJECT || undefined,
    serverUrl: env.WEFT_SERVER_URL || undefined,
    apiKey: env.WEFT_API_KEY || undefined,
  };
}
