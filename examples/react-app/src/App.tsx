import { useState } from 'react';
import { TemperProvider, useTemper } from '@temper/react';

/** Shows the widget's state and opens the chat from the app's own button. */
function Help() {
  const { state, open } = useTemper();
  return (
    <p>
      <button id="open-chat" onClick={open} disabled={state.status !== 'ready'}>
        Chat with us
      </button>{' '}
      <output id="status">{state.status}</output> <output id="conversation">{state.conversationId ?? ''}</output>
    </p>
  );
}

export function App() {
  // A "route" with the chat and one without: leaving it unmounts the provider (destroy(), the chat is kept).
  const [withChat, setWithChat] = useState(true);
  return (
    <main>
      <h1>Shop</h1>
      <button id="toggle" onClick={() => setWithChat((v) => !v)}>
        {withChat ? 'Go to a page without chat' : 'Back'}
      </button>
      {withChat && (
        <TemperProvider options={{ endpoint: '/temper/v1', locale: 'en' }}>
          <Help />
        </TemperProvider>
      )}
    </main>
  );
}
