// Scaffolding: replaced by the real screen.
export default function SuccessHomePage() {
  return null;
}
