/** A fresh tablet database with the demo advisor's device session: the setting of screen tests. */
// useDatabase swaps the module's database (not a React hook despite its name).
import { useDatabase as selectDatabase, WalkaroundDB } from '../../src/store/db';
import { saveSession } from '../../src/store/session';

export const ADVISOR_ID = '11111111-1111-4111-8111-111111111111';

export async function freshAdvisorTablet(): Promise<void> {
  selectDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await saveSession({
    token: 'tok-abcdefghijkl',
    deviceId: '44444444-4444-4444-8444-444444444444',
    deviceName: '前台1号',
    dealership: { id: '33333333-3333-4333-8333-333333333333', name: '示范4S店', slug: 'demo' },
    staff: { id: ADVISOR_ID, name: '王芳', role: 'advisor' },
    loginStaffId: ADVISOR_ID,
    serverStaffIds: [ADVISOR_ID],
  });
}
