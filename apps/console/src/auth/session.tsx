import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ok, Schemas, sessionToken } from '../api/client';

export type CurrentSession = Schemas['CurrentSessionResponseDto'];
export type Permission = CurrentSession['permissions'][number];

interface SessionState {
  /** Null before sign-in (and while a stored token is being checked: `loading`). */
  session: CurrentSession | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signUp(input: Schemas['SignUpDto']): Promise<void>;
  /** Signs up a new merchant with a partner's invite code (it becomes that partner's downstream). */
  joinWithCode(code: string, input: Schemas['SignUpDto']): Promise<void>;
  signOut(): Promise<void>;
  /** Re-reads GET /v1/auth/session (after the merchant's time zone or the member's role changed). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function loadSession(): Promise<CurrentSession> {
  return ok(api.GET('/v1/auth/session'));
}

/** The signed-in member: who it is, its permissions and its merchant's time zone. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [session, setSession] = useState<CurrentSession | null>(null);
  const [loading, setLoading] = useState<boolean>(() => sessionToken.get() !== null);

  useEffect(() => {
    if (sessionToken.get()) {
      loadSession()
        .then(setSession)
        .catch(() => sessionToken.set(null))
        .finally(() => setLoading(false));
    }
    return sessionToken.onSignedOut(() => {
      setSession(null);
      queries.clear();
    });
  }, [queries]);

  const begin = useCallback(
    async (token: string) => {
      sessionToken.set(token);
      queries.clear();
      setSession(await loadSession());
    },
    [queries],
  );

  const signIn = useCallback(async (email: string, password: string) => begin((await ok(api.POST('/v1/auth/login', { body: { email, password } }))).token), [begin]);
  const signUp = useCallback(async (input: Schemas['SignUpDto']) => begin((await ok(api.POST('/v1/auth/sign-up', { body: input }))).token), [begin]);
  const joinWithCode = useCallback(
    async (code: string, input: Schemas['SignUpDto']) => begin((await ok(api.POST('/v1/partner-invites/{invite}/join', { params: { path: { invite: code } }, body: input }))).token),
    [begin],
  );
  const signOut = useCallback(async () => {
    const token = sessionToken.get();
    if (token) await api.POST('/v1/auth/logout', { params: { header: { authorization: `Bearer ${token}` } } }).catch(() => undefined);
    sessionToken.set(null);
    setSession(null);
    queries.clear();
  }, [queries]);

  const refresh = useCallback(async () => {
    if (sessionToken.get()) setSession(await loadSession());
  }, []);

  const value = useMemo(() => ({ session, loading, signIn, signUp, joinWithCode, signOut, refresh }), [session, loading, signIn, signUp, joinWithCode, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in member (pages under the shell only render once signed in). */
export function useSession(): CurrentSession & { can(permission: Permission): boolean } {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession before sign-in');
  return useMemo(() => ({ ...session, can: (permission: Permission) => session.permissions.includes(permission) }), [session]);
}

/** The merchant's time zone (Asia/Shanghai unless its settlement settings say otherwise). */
export function useTimeZone(): string {
  return useSessionState().session?.timeZone ?? 'Asia/Shanghai';
}
