import { h } from 'preact';
import { useState } from 'preact/hooks';
import { demoSignIn, type Auth } from './api.ts';

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

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(answersVisitors ? 'Enter the name visitors will see.' : 'Enter your name.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      onSignedIn(await demoSignIn(name.trim(), role));
    } catch (err) {
      setError(`Could not sign in: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>{title}</h1>
      {note && <p class="note">{note}</p>}
      <p class="demo-warning" role="note">
        <strong>Demo sign-in — not for production.</strong> Anyone can get an agent or a <strong>supervisor</strong>{' '}
        token here, and a supervisor reads every transcript, the audit log and the reports. It is rate-limited, on
        in <code>npm start</code> and off in <code>npm run serve</code> unless <code>TEMPER_DEMO_SIGNIN=1</code>. A
        real shop issues agent tokens from its own staff login (with <code>createAgentToken</code> on its server).
      </p>
      <form class="signin-form" onSubmit={submit} aria-describedby="signin-error">
        <label for="signin-name">{answersVisitors ? 'Your name (visitors see it on the replies you write)' : 'Your name'}</label>
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
            <legend>Role</legend>
            {roles.map((r) => (
              <label key={r} class="role">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} /> {r}
              </label>
            ))}
          </fieldset>
        ) : (
          <p class="role-fixed">Role: {roles[0]}</p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
        <p id="signin-error" class="error" role="alert">
          {error}
        </p>
      </form>
    </main>
  );
}
