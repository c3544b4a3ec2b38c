// Scaffolding: replaced by the real screen.
export default function SurveysPage() {
  return null;
}
