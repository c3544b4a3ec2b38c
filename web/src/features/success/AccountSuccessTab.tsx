// Scaffolding: replaced by the account's success tab (usage chart, milestone progress, health history).
export function AccountSuccessTab(_props: { accountId: string }) {
  return null;
}
