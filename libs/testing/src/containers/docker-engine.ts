import { getContainerRuntimeClient } from 'testcontainers';

/** Whether a Docker engine answers, and if not, why (testcontainers' own discovery decides). */
export type DockerEngine = { readonly reachable: true } | { readonly reachable: false; readonly reason: string };

/** Asks testcontainers for a container runtime, the way it finds one when a container starts. */
export async function detectDockerEngine(): Promise<DockerEngine> {
  try {
    await getContainerRuntimeClient();
    return { reachable: true };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown';
    return { reachable: false, reason };
  }
}
