/** Turns a failed health check into words an IT officer can act on. */
function describeProbeFailure(serverUrl: string, error: unknown): string {
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `The central server at ${serverUrl} did not answer in time.`;
  switch (code) {
    case 'ECONNREFUSED':
      return `The central server at ${serverUrl} refused the connection: it is not running or a firewall blocks it.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The server name in ${serverUrl} cannot be resolved: check the network or the station's server address.`;
    case 'ECONNRESET':
      return `The connection to ${serverUrl} was cut off.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `There is no network route to ${serverUrl}.`;
    default:
      return `The central server at ${serverUrl} cannot be reached (${code ?? name ?? 'unknown error'}).`;
  }
}

export type ProbeResult = { reachable: true } | { reachable: false; problem: string };

/** One health check of the central server. Never throws. */
export async function probeServer(serverUrl: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const response = await fetch(`${serverUrl}/health`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    await response.body?.cancel();
    if (response.ok) return { reachable: true };
    return { reachable: false, problem: `The central server at ${serverUrl} answered its health check with HTTP ${response.status}.` };
  } catch (error) {
    return { reachable: false, problem: describeProbeFailure(serverUrl, error) };
  }
}
