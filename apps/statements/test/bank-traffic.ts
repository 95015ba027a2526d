import { randomUUID } from 'node:crypto';

/** What the traffic did to one account, as acknowledged by the bank. */
export interface AccountTally {
  readonly id: string;
  balance: number;
  movements: number;
}

/** Where the bank is now: a restart moves it to another port. */
export interface BankTarget {
  url(): string;
}

/**
 * Sends one command until the bank acknowledges it. The Idempotency-Key stays the same across
 * tries, so a command whose answer a crash swallowed is not applied twice.
 */
export async function sendUntilAcknowledged(bank: BankTarget, path: string, body: object, timeoutMs = 180_000): Promise<Response> {
  const key = randomUUID();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${bank.url()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status < 500) {
        if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
        return response;
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes(' answered ')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${path} was not acknowledged within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Opens `count` accounts; each starts at a zero balance. */
export async function openAccounts(bank: BankTarget, count: number): Promise<AccountTally[]> {
  const accounts: AccountTally[] = [];
  for (let i = 0; i < count; i++) {
    const response = await sendUntilAcknowledged(bank, '/accounts', { owner: `owner-${i}` });
    const { id } = (await response.json()) as { id: string };
    accounts.push({ id, balance: 0, movements: 0 });
  }
  return accounts;
}

/**
 * Sends `total` deposits and withdrawals over the accounts from `workers` concurrent clients,
 * never overdrawing; `onProgress` sees how many were acknowledged so far.
 */
export async function moveMoney(bank: BankTarget, accounts: readonly AccountTally[], total: number, workers: number, onProgress: (done: number) => Promise<void> | void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let n = next++; n < total; n = next++) {
        const account = accounts[n % accounts.length] as AccountTally;
        // Withdrawals stay far below the balance the tally knows, so commands in flight on the same account cannot overdraw it.
        const withdraw = account.balance > 120 && n % 3 === 0;
        const amount = withdraw ? 1 + (n % 7) : 10 + (n % 50);
        await sendUntilAcknowledged(bank, `/accounts/${account.id}/${withdraw ? 'withdrawals' : 'deposits'}`, { amount });
        account.balance += withdraw ? -amount : amount;
        account.movements += 1;
        done += 1;
        await onProgress(done);
      }
    }),
  );
}
