// Scaffolding: replaced by the real screen.
export default function MilestonesPage() {
  return null;
}
