import type { QueryClient } from '@tanstack/react-query';
import { createQueryClient, useMe } from '../../shared/session';
import type { Me } from '../../shared/types';

export { can, fetchMe, ME_KEY, useMe } from '../../shared/session';

export const queryClient: QueryClient = createQueryClient(30_000);

/** The signed-in user; only call below the point where App has checked the session. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSession outside a signed-in tree');
  return data;
}

/** Held on the whole tenant: what changes every unit (instruments) needs this. */
export function canEverywhere(me: Me, permission: string): boolean {
  return me.tenantWidePermissions.includes(permission);
}
