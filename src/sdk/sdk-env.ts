/** The only place the SDK reads environment variables. */
export interface SdkEnv {
  project: string | undefined;
  serverUrl: string | undefined;
  apiKey: string | undefined;
  spoolDir: string | undefined;
  durability: string | undefined;
  handleSignals: string | undefined;
}

export function readSdkEnv(env: NodeJS.ProcessEnv = process.env): SdkEnv {
  return {
    project: env.WEFT_PROJECT || undefined,
    serverUrl: env.WEFT_SERVER_URL || undefined,
    apiKey: env.WEFT_API_KEY || undefined,
    spoolDir: env.WEFT_SPOOL_DIR || undefined,
    durability: env.WEFT_DURABILITY || undefined,
    handleSignals: env.WEFT_HANDLE_SIGNALS || undefined,
  };
}
