// Scaffolding: replaced by the real screen.
export default function RetentionPage() {
  return null;
}
