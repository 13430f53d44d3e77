/**
 * The demo dealership created on first start with an empty database, and its fixed logins.
 * Exported so e2e tests and benchmarks can log in. Documented in the final report / README:
 *
 *   dealership slug: demo   (示范4S店 Demo Motors)
 *   advisor    / demo-advisor-1    PIN 1234   (服务顾问 王芳)
 *   technician / demo-tech-1       PIN 2345   (维修技师 李强)
 *   manager    / demo-manager-1    PIN 3456   (服务经理 张伟)
 */
import type { CreateStaffRequest } from '../shared/auth';

export const DEMO_DEALERSHIP_SLUG = 'demo';
export const DEMO_DEALERSHIP_NAME = '示范4S店 Demo Motors';

export interface DemoLogin extends CreateStaffRequest {
  dealership: string;
}

export const DEMO_ADVISOR: DemoLogin = { dealership: 'demo', username: 'advisor', password: 'demo-advisor-1', pin: '1234', name: '王芳', role: 'advisor' };
export const DEMO_TECHNICIAN: DemoLogin = { dealership: 'demo', username: 'technician', password: 'demo-tech-1', pin: '2345', name: '李强', role: 'technician' };
export const DEMO_MANAGER: DemoLogin = { dealership: 'demo', username: 'manager', password: 'demo-manager-1', pin: '3456', name: '张伟', role: 'manager' };

export const DEMO_USERS: readonly DemoLogin[] = [DEMO_ADVISOR, DEMO_TECHNICIAN, DEMO_MANAGER];

/** The console banner printed when the demo dealership is created. */
export function demoBanner(): string {
  const lines = [
    '',
    '==================================================================',
    ` Demo dealership created: ${DEMO_DEALERSHIP_NAME} (slug "${DEMO_DEALERSHIP_SLUG}")`,
    ' role         username     password          PIN',
    ...DEMO_USERS.map((u) => ` ${u.role.padEnd(12)} ${u.username.padEnd(12)} ${u.password.padEnd(17)} ${u.pin}`),
    '==================================================================',
    '',
  ];
  return lines.join('\n');
}
