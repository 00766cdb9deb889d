// Who may see what: roles, the authenticated principal, and the ward and identifier rules; below http/ and services/.

export const ROLES = ['clinician', 'compliance', 'service'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  roles: Role[];
  /** null: every ward. */
  wardIds: string[] | null;
}

/** Ward ids compared as UUIDs: case does not matter. */
export function canSeeWard(principal: Principal, wardId: string): boolean {
  const ward = wardId.toLowerCase();
  return principal.wardIds === null || principal.wardIds.some((id) => id.toLowerCase() === ward);
}

/** Identifiers go to people who treat: a service token (dashboards, prewarm) gets none. */
export const showsIdentifiers = (principal: Principal): boolean => principal.roles.includes('clinician');
