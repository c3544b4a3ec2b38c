// Scaffolding: replaced by the real screen.
export default function RenewalsPage() {
  return null;
}
