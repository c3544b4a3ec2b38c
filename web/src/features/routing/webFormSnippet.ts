/**
 * The copy-paste HTML form for a website: a plain form post to the public web-to-lead endpoint, so it
 * works on any site without script. The `hp_website` field is the honeypot: hidden from people, filled
 * by bots; a post that fills it is thanked and dropped.
 */
const FIELDS: { name: string; label: string; type?: string; extra?: string }[] = [
  { name: 'email', label: 'Work email', type: 'email', extra: ' required' },
  { name: 'first_name', label: 'First name' },
  { name: 'last_name', label: 'Last name' },
  { name: 'company', label: 'Company' },
  { name: 'title', label: 'Job title' },
  { name: 'phone', label: 'Phone', type: 'tel' },
  { name: 'employees', label: 'Employees', type: 'number', extra: ' min="1"' },
  { name: 'country', label: 'Country (2 letters)', extra: ' maxlength="2"' },
];

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webFormSnippet(origin: string, formKey: string): string {
  const action = `${origin.replace(/\/$/, '')}/api/v1/public/forms/${encodeURIComponent(formKey)}`;
  const inputs = FIELDS.map(
    (f) => `  <p><label>${f.label}<br><input type="${f.type ?? 'text'}" name="${f.name}"${f.extra ?? ''}></label></p>`,
  );
  return [
    `<form method="post" action="${escapeAttr(action)}">`,
    ...inputs,
    '  <!-- Leave this hidden field empty: it catches spam bots. -->',
    '  <div style="display:none" aria-hidden="true">',
    '    <label>Website <input type="text" name="hp_website" tabindex="-1" autocomplete="off"></label>',
    '  </div>',
    '  <!-- Optional: send visitors to your own thank-you page. -->',
    '  <!-- <input type="hidden" name="redirect" value="https://www.example.com/thank-you"> -->',
    '  <p><button type="submit">Contact sales</button></p>',
    '</form>',
  ].join('\n');
}
