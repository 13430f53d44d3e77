import { beforeEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { createReadyDraft } from '../fixtures/readyStored';
import { contentHash } from '../../src/model/intake/signedContent';
import { CustomerVehicleStep } from '../../src/features/intake/CustomerVehicleStep';
import { renderStep, waitForAutosave } from './intakeStepHost';

const ADVISOR = { id: 'sa1', name: '李顾问' };
// A VIN with a correct check digit (position 9 = 'X' for this one is computed by the test below).
const VALID_VIN = '1M8GDM9AXKP042788';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

// Typing with user-event is realistic but slow under a loaded machine: generous timeouts.
describe('CustomerVehicleStep', { timeout: 30_000 }, () => {
  it('autosaves customer, vehicle, visit and complaint as the advisor types (no save button)', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    await user.type(await screen.findByLabelText(/客户姓名/), '王小明');
    await user.type(screen.getByLabelText(/^称呼/), '王先生');
    await user.type(screen.getByLabelText(/手机号/), '138 0013 8000');
    await user.type(screen.getByLabelText(/车牌号/), 'jing'); // not a plate: stays a draft
    await user.clear(screen.getByLabelText(/车牌号/));
    await user.type(screen.getByLabelText(/车牌号/), '京a·12345');
    await user.type(screen.getByLabelText(/VIN/), VALID_VIN.toLowerCase());
    await user.type(screen.getByLabelText(/品牌/), '大众');
    await user.type(screen.getByLabelText(/车型/), '迈腾');
    await user.type(screen.getByLabelText(/年款/), '2021');
    await user.type(screen.getByLabelText(/行驶里程/), '45,230');
    await user.click(screen.getByRole('button', { name: '3/8' }));
    await user.type(screen.getByLabelText(/预约单号/), 'YY-001');
    await user.type(screen.getByLabelText(/故障描述/), '冷车启动异响');
    await user.click(screen.getByRole('button', { name: '间歇出现' }));
    expect(screen.queryByRole('button', { name: /保存/ })).toBeNull();
    await waitForAutosave();

    const saved = await getIntake(intake.id);
    expect(saved?.customer).toEqual({ name: '王小明', salutation: '王先生', mobile: '138 0013 8000' });
    expect(saved?.vehicle).toMatchObject({ plate: '京A12345', vin: VALID_VIN, make: '大众', model: '迈腾', year: 2021 });
    expect(saved?.visit).toMatchObject({ odometerKm: 45230, fuelEighths: 3, appointmentRef: 'YY-001' });
    expect(saved?.complaint).toMatchObject({ symptom: '冷车启动异响', pattern: 'intermittent' });
    expect(screen.getByRole('status').textContent).toBe('已自动保存');
    expect(screen.getByRole('button', { name: '3/8' }).getAttribute('aria-pressed')).toBe('true');
    // Recognised plate kind and no errors for valid input.
    expect(screen.getByTestId('plate-kind').textContent).toBe('普通车牌（7位）');
    expect(screen.getByLabelText(/车牌号/).getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText(/校验位/)).toBeNull();
  });

  it('shows translated zod errors as you type for plate, VIN and mobile, and still keeps the draft', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    const plate = await screen.findByLabelText(/车牌号/);
    await user.type(plate, '京A1');
    expect(screen.getByText(/不是大陆车牌格式/)).toBeTruthy();
    await user.type(plate, '2#45');
    expect(screen.getByText('车牌格式不正确')).toBeTruthy();
    expect(plate.getAttribute('aria-invalid')).toBe('true');

    await user.type(screen.getByLabelText(/VIN/), 'LSVAB4I');
    expect(screen.getByText('VIN 只能包含数字和字母（不含 I、O、Q）')).toBeTruthy();
    await user.clear(screen.getByLabelText(/VIN/));
    await user.type(screen.getByLabelText(/VIN/), 'LSVAB41');
    expect(screen.getByText('VIN 必须为 17 位')).toBeTruthy();

    await user.type(screen.getByLabelText(/手机号/), '12345');
    expect(screen.getByText('手机号格式不正确（11 位，或以 + 开头的国际号码）')).toBeTruthy();

    await user.type(screen.getByLabelText(/行驶里程/), '12a');
    expect(screen.getByText('请输入整数')).toBeTruthy();

    await waitForAutosave();
    const saved = await getIntake(intake.id);
    expect(saved?.vehicle.plate).toBe('京A12#45');
    expect(saved?.vehicle.vin).toBe('LSVAB41');
    expect(saved?.customer.mobile).toBe('12345');
    expect(saved?.visit.odometerKm).toBe(12); // only the valid part "12" was storable
  });

  it('recognises new-energy plates and accepts other formats only when ticked', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    const plate = await screen.findByLabelText(/车牌号/);
    await user.type(plate, '粤bd12345');
    expect(screen.getByTestId('plate-kind').textContent).toBe('新能源车牌（8位）');
    await user.clear(plate);
    await user.type(plate, 'AB1234');
    expect(screen.getByText(/不是大陆车牌格式/)).toBeTruthy();
    await user.click(screen.getByLabelText(/其他号牌格式/));
    expect(screen.queryByText(/不是大陆车牌格式/)).toBeNull();
    expect(screen.getByTestId('plate-kind').textContent).toBe('其他号牌格式');
    await waitForAutosave();
    expect((await getIntake(intake.id))?.vehicle).toMatchObject({ plate: 'AB1234', plateOther: true });
  });

  it('offers the salutation from the surname in one tap', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    await user.type(await screen.findByLabelText(/客户姓名/), '欧小红');
    await user.click(screen.getByRole('button', { name: '欧女士' }));
    expect((screen.getByLabelText(/^称呼/) as HTMLInputElement).value).toBe('欧女士');
    expect(screen.queryByRole('button', { name: '欧先生' })).toBeNull();
    await waitForAutosave();
    expect((await getIntake(intake.id))?.customer.salutation).toBe('欧女士');
  });

  it('puts the province character in front with one tap (no Chinese keyboard needed)', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    await user.type(await screen.findByLabelText(/车牌号/), 'a12345');
    await user.click(screen.getByRole('button', { name: '选择省份简称' }));
    await user.click(within(screen.getByRole('group', { name: '选择省份简称' })).getByRole('button', { name: '京' }));
    expect((screen.getByLabelText(/车牌号/) as HTMLInputElement).value).toBe('京A12345');
    await user.click(screen.getByRole('button', { name: '选择省份简称' }));
    await user.click(within(screen.getByRole('group', { name: '选择省份简称' })).getByRole('button', { name: '沪' }));
    expect((screen.getByLabelText(/车牌号/) as HTMLInputElement).value).toBe('沪A12345');
    expect(screen.getByTestId('plate-kind').textContent).toBe('普通车牌（7位）');
    await waitForAutosave();
    expect((await getIntake(intake.id))?.vehicle.plate).toBe('沪A12345');
  });

  it('keeps the cursor in the plate after a province is picked, so typing goes on there', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    await screen.findByLabelText(/车牌号/);
    await user.click(screen.getByRole('button', { name: '选择省份简称' }));
    await user.click(within(screen.getByRole('group', { name: '选择省份简称' })).getByRole('button', { name: '川' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/车牌号/));
    await user.keyboard('a12345');
    expect((screen.getByLabelText(/车牌号/) as HTMLInputElement).value).toBe('川A12345');
  });

  it('names the special plates, and says "必填" for an empty plate', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    const plate = await screen.findByLabelText(/车牌号/);
    for (const [text, kind] of [
      ['粤Z1234港', '港澳入出境车牌（粤Z）'],
      ['京A12345学', '教练车号牌'],
      ['京A0123警', '警用号牌'],
      ['赣A1234应急', '应急救援号牌'],
    ] as const) {
      await user.clear(plate);
      await user.type(plate, text);
      expect(screen.getByTestId('plate-kind').textContent).toBe(kind);
      expect(screen.queryByText(/不是大陆车牌格式/)).toBeNull();
    }
    await user.clear(plate);
    await user.tab();
    const field = plate.closest('.field') as HTMLElement;
    expect(within(field).getByText('必填')).toBeTruthy();
    expect(within(field).queryByText('车牌格式不正确')).toBeNull();
  });

  it('warns (without an error) when the VIN check digit does not match', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    const bad = VALID_VIN.slice(0, 8) + (VALID_VIN[8] === '1' ? '2' : '1') + VALID_VIN.slice(9);
    const vin = await screen.findByLabelText(/VIN/);
    await user.type(vin, bad);
    expect(screen.getByText(/VIN 校验位不符/)).toBeTruthy();
    expect(vin.getAttribute('aria-invalid')).toBeNull();
    await waitForAutosave();
    expect((await getIntake(intake.id))?.vehicle.vin).toBe(bad);
  });

  it('shows stored invalid values as errors when reopened, and renders in English', async () => {
    const intake = await createIntake(ADVISOR);
    await updateSection(intake.id, 'customer', { name: 'Wang', salutation: '', mobile: '999' });
    renderStep(CustomerVehicleStep, intake.id, 'en');
    expect(await screen.findByLabelText(/Customer name/)).toBeTruthy();
    // The zod resolver validates asynchronously: wait for the message rather than expecting it in the first frame.
    expect(await screen.findByText('Mobile number is not valid (11 digits, or international starting with +)')).toBeTruthy();
    expect(screen.getByLabelText(/Odometer \(km\)/).getAttribute('inputmode')).toBe('numeric');
    expect(screen.getByLabelText(/Mobile/).getAttribute('inputmode')).toBe('tel');
    const fuel = screen.getByRole('group', { name: /Fuel level/ });
    expect(within(fuel).getAllByRole('button')).toHaveLength(9);
  });

  it('shows no error on a new, empty form until a field is edited or left', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    const name = await screen.findByLabelText(/客户姓名/);
    await waitForAutosave();
    expect(screen.queryByText('必填')).toBeNull();
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    // Typed and cleared again: the field counts as edited, so its error shows.
    await user.type(name, '王');
    await user.clear(name);
    expect(await screen.findByText('必填')).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    // Only left (focus, then away): the make field's error shows too.
    await user.click(screen.getByLabelText(/品牌/));
    await user.tab();
    expect(await screen.findAllByText('必填')).toHaveLength(2);
  });

  it('follows a change made elsewhere (sync, another tab) while the form is open', async () => {
    const user = userEvent.setup();
    const intake = await createIntake(ADVISOR);
    renderStep(CustomerVehicleStep, intake.id);
    await user.type(await screen.findByLabelText(/客户姓名/), '王小明');
    await waitForAutosave();
    await updateSection(intake.id, 'customer', { name: '李四', salutation: '', mobile: '12' });
    await waitFor(() => expect((screen.getByLabelText(/客户姓名/) as HTMLInputElement).value).toBe('李四'));
    expect((screen.getByLabelText(/手机号/) as HTMLInputElement).value).toBe('12');
    await user.type(screen.getByLabelText(/客户姓名/), '光');
    await waitForAutosave();
    expect((await getIntake(intake.id))?.customer).toEqual({ name: '李四光', salutation: '', mobile: '12' });
  });

  it('is read-only once signed', async () => {
    const intake = await createReadyDraft(ADVISOR);
    const h = contentHash(intake);
    await signIntake(intake.id, h, [
      { role: 'customer', name: 'c', strokes: [{ points: [{ x: 0, y: 0, time: 0 }] }], width: 1, height: 1, signedAt: new Date().toISOString(), contentHash: h },
    ]);
    renderStep(CustomerVehicleStep, intake.id);
    const name = (await screen.findByLabelText(/客户姓名/)) as HTMLInputElement;
    expect(name.readOnly).toBe(true);
    expect((screen.getByRole('button', { name: '3/8' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/已签字，内容只读/)).toBeTruthy();
  });
});
