import { h } from 'preact';
import { useState } from 'preact/hooks';
import { T } from './i18n.ts';
import { demoSignIn, type Auth, type DemoProfile } from './api.ts';

interface SignInProps {
  /** Roles offered; the reports page offers only `supervisor`. */
  roles: ReadonlyArray<'agent' | 'supervisor'>;
  title: string;
  onSignedIn: (auth: Auth) => void;
  /** Why the page asks (e.g. the stored token has too low a role). */
  note?: string;
}

/**
 * The demo's sign-in form. It says plainly that it is a demo: anyone can become an agent here, while a real
 * host signs its staff in with its own authentication and mints the token on its server.
 *
 * @example
 * <SignIn roles={['agent', 'supervisor']} title="Agent console" onSignedIn={setAuth} />
 */
export function SignIn({ roles, title, onSignedIn, note }: SignInProps) {
  const [name, setName] = useState('');
  const [role, setRole] = useState(roles[0]!);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Only an agent's name reaches visitors (on the replies they write); a supervisor signing in to the reports
  // is never shown to anyone outside the team, and must not be told otherwise (issue 12).
  const answersVisitors = roles.includes('agent');
  // Agent matching (issue 14): what the router may hand this agent. No language ticked = no profile (claim by hand).
  const [langs, setLangs] = useState<DemoProfile['languages']>([]);
  const [skills, setSkills] = useState<DemoProfile['skills']>([]);
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(answersVisitors ? T.enterVisibleName : T.enterName);
      return;
    }
    setBusy(true);
    setError('');
    try {
      onSignedIn(await demoSignIn(name.trim(), role, langs.length > 0 ? { languages: langs, skills } : undefined));
    } catch (err) {
      setError(T.couldNotSignIn(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>{title}</h1>
      {note && <p class="note">{note}</p>}
      <p class="demo-warning" role="note">
        <strong>{T.demoWarningTitle}</strong> {T.demoWarning}
      </p>
      <form class="signin-form" onSubmit={submit} aria-describedby="signin-error">
        <label for="signin-name">{answersVisitors ? T.nameForVisitors : T.yourName}</label>
        <input
          id="signin-name"
          name="name"
          autocomplete="nickname"
          maxLength={80}
          required
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
        {roles.length > 1 ? (
          <fieldset class="roles">
            <legend>{T.role}</legend>
            {roles.map((r) => (
              <label key={r} class="role">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} /> {T.roleName(r)}
              </label>
            ))}
          </fieldset>
        ) : (
          <p class="role-fixed">{T.roleFixed(roles[0]!)}</p>
        )}
        <fieldset class="profile">
          <legend>Chats the router may hand you (none ticked: you claim from the queue)</legend>
          {(['en', 'zh'] as const).map((l) => (
            <label key={l} class="lang">
              <input type="checkbox" name="language" value={l} checked={langs.includes(l)} onChange={() => setLangs(toggle(langs, l))} />{' '}
              {T.speaks(l)}
            </label>
          ))}
          {(['orders', 'payments', 'technical', 'de-escalation'] as const).map((k) => (
            <label key={k} class="skill">
              <input type="checkbox" name="skill" value={k} checked={skills.includes(k)} onChange={() => setSkills(toggle(skills, k))} /> {k}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>
          {T.signIn}
        </button>
        <p id="signin-error" class="error" role="alert">
          {error}
        </p>
      </form>
    </main>
  );
}
