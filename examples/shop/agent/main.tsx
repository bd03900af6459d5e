// Entry of /agent: the demo sign-in, then the console. Rendered into #app of the page from pages.ts.
import { h } from 'preact';
import { mountApp } from './mount.ts';
import { useMemo, useState } from 'preact/hooks';
import { loadAuth, signOut, type Auth } from './api.ts';
import { Console } from './Console.tsx';
import { createConsole } from './console-store.ts';
import { SignIn } from './SignIn.tsx';
import { T } from './i18n.ts';

function App() {
  const [auth, setAuth] = useState<Auth | null>(loadAuth);
  const store = useMemo(() => (auth ? createConsole(auth) : null), [auth]);
  if (!store || store.signedOut.value)
    return (
      <SignIn
        title={T.consoleTitle}
        roles={['agent', 'supervisor']}
        onSignedIn={setAuth}
        {...(store?.signedOut.value ? { note: T.expired } : {})}
      />
    );
  return (
    <Console
      store={store}
      onSignOut={() => {
        void store.setPresence('offline').finally(() => {
          signOut();
          setAuth(null);
        });
      }}
    />
  );
}

mountApp(<App />);
