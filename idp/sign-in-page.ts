/**
 * The German pages of the embedded identity provider (sign-in, sign-out, errors): plain,
 * labelled, and honest about being for development.
 */

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** One page of the provider, in German, in the same plain look. */
function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – Lotse (Entwicklung)</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f5f5f5; line-height: 1.5; }
  main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid #ccc; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  .hinweis { background: #fff4ce; border-left: 4px solid #8a6d00; padding: .75rem; }
  .fehler { background: #fde7e9; border-left: 4px solid #a4262c; padding: .75rem; color: #5c0a0f; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #595959; }
  input:focus, button:focus { outline: 3px solid #005fcc; outline-offset: 2px; }
  button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; background: #004b87; color: #fff; border: 0; }
  button.zweitrangig { background: #fff; color: #004b87; border: 2px solid #004b87; }
  code { background: #eee; padding: 0 .2rem; }
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>`;
}

export function signInPage(opts: { action: string; username?: string; error?: string; accounts: string[] }): string {
  const error = opts.error ? `<p id="fehler" class="fehler" role="alert">${escape(opts.error)}</p>` : '';
  // The page starts in the field to fill: the name, or after a wrong password the password.
  const describedBy = opts.error ? ' aria-describedby="fehler" aria-invalid="true"' : '';
  return page(
    'Anmelden',
    `  <h1>Bei Lotse anmelden</h1>
  <p class="hinweis"><strong>Entwicklungsumgebung:</strong> Dies ist nicht die Anmeldung Ihrer Agentur.
  Es gibt hier nur Entwicklungskonten (${opts.accounts.map((a) => `<code>${escape(a)}</code>`).join(', ')}),
  alle mit dem Passwort <code>demo</code>.</p>
  ${error}
  <form method="post" action="${escape(opts.action)}">
    <label for="benutzername">Benutzername</label>
    <input id="benutzername" name="username" autocomplete="username" required${opts.error ? '' : ' autofocus'}
      value="${escape(opts.username ?? '')}"${describedBy}>
    <label for="passwort">Passwort</label>
    <input id="passwort" name="password" type="password" autocomplete="current-password" required${describedBy}
      ${opts.error ? 'autofocus' : ''}>
    <button type="submit">Anmelden</button>
  </form>`,
  );
}

/** The question before signing out; `form` is the provider's hidden form (it carries the CSRF token). */
export function signOutPage(form: string): string {
  return page(
    'Abmelden',
    `  <h1>Von Lotse abmelden?</h1>
  <p>Sie werden in allen Fenstern dieses Browsers abgemeldet.</p>
  ${form}
  <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Abmelden</button>
  <button class="zweitrangig" type="submit" form="op.logoutForm">Angemeldet bleiben</button>`,
  );
}

/** After signing out when the application gave no address to return to. */
export function signedOutPage(): string {
  return page('Abgemeldet', '  <h1>Sie sind abgemeldet</h1>\n  <p>Sie können dieses Fenster schließen.</p>');
}

/** What went wrong at the provider, without the technical detail a person cannot act on. */
export function providerErrorPage(error: string): string {
  return page(
    'Fehler bei der Anmeldung',
    `  <h1>Die Anmeldung hat nicht geklappt</h1>
  <p class="fehler" role="alert">${escape(error)}</p>
  <p>Bitte öffnen Sie Lotse noch einmal und melden Sie sich neu an.</p>`,
  );
}
