import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../src/i18n/i18n';
import { VehicleDiagram } from '../../src/features/walkaround/VehicleDiagram';
import { defaultTemplate } from '../../src/shared/template/template';
import type { Finding } from '../../src/model/intake/schema';
import { DIAGRAM_H, DIAGRAM_W, labelBox, MARKER_R, markerDrawPoint } from '../../src/features/walkaround/diagramGeometry';

const f = (id: string, foundAt: Finding['foundAt'], marker: Finding['marker']): Finding => ({
  id,
  positionId: 'lf',
  itemId: 'lf-door',
  type: 'dent',
  severity: 'minor',
  marker,
  photos: [],
  note: '',
  createdAt: '2026-01-05T09:00:00.000Z',
  foundAt,
});

describe('VehicleDiagram', () => {
  it('read-only: an image with a spoken summary; numbered markers shaped and coloured by who found them', () => {
    const findings = [f('a', 'intake', { x: 0.2, y: 0.3 }), f('b', 'technician', { x: 0.8, y: 0.3 }), f('c', 'handover', { x: 0.5, y: 0.95 }), f('d', 'intake', null)];
    const { container } = render(
      <I18nProvider lang="zh-CN">
        <VehicleDiagram template={defaultTemplate} findings={findings} readOnly />
      </I18nProvider>,
    );
    expect(screen.getByRole('img', { name: '车辆俯视图：车头在上。3 处损伤标记' })).toBeTruthy();
    const markers = [...container.querySelectorAll('[data-finding]')];
    // a finding without a marker is not drawn, but numbering follows the list (d would be 4)
    expect(markers.map((m) => [m.getAttribute('data-finding'), m.getAttribute('data-found-at'), m.querySelector('text')?.textContent])).toEqual([
      ['a', 'intake', '1'],
      ['b', 'technician', '2'],
      ['c', 'handover', '3'],
    ]);
    expect(markers[0]!.querySelector('circle')).not.toBeNull();
    expect(markers[2]!.querySelector('rect')?.getAttribute('transform')).toBe('rotate(45)');
    // c (0.5, 0.95) is clear of every label: drawn where it was tapped; a (0.2, 0.3) sat on
    // the label "左前" and is drawn just above it
    expect(markers[2]!.getAttribute('transform')).toBe(`translate(${0.5 * DIAGRAM_W} ${0.95 * DIAGRAM_H})`);
    expect(markers[0]!.getAttribute('transform')).toBe(`translate(${0.2 * DIAGRAM_W} ${markerDrawPoint(defaultTemplate, { x: 0.2, y: 0.3 }).y})`);
    expect(markerDrawPoint(defaultTemplate, { x: 0.2, y: 0.3 }).y).toBeLessThan(0.3 * DIAGRAM_H);
    // legend appears because later findings exist: new damage at handover in its own entry
    expect(screen.getByText('交车时新发现')).toBeTruthy();
    expect(screen.getByText('技师验收发现')).toBeTruthy();
    // no placement controls when read-only
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows each position with its walking number and label, complete ones ticked', () => {
    const { container } = render(
      <I18nProvider lang="en">
        <VehicleDiagram template={defaultTemplate} findings={[]} complete={{ lf: true }} activePosition="f" readOnly />
      </I18nProvider>,
    );
    const text = container.textContent ?? '';
    for (const label of ['Left front', 'Front', 'Right front', 'Right rear', 'Rear', 'Left rear']) expect(text).toContain(label);
    expect(text).toContain('✓');
    expect(container.querySelector('rect[data-position="f"]')?.getAttribute('stroke')).toBe('#0b5cad');
    expect(container.querySelector('rect[data-position="lf"]')?.getAttribute('stroke')).toBe('#1b7f3a');
  });

  it('interactive: a tap gives 0..1 coordinates and the position; the centre button is the keyboard alternative', () => {
    const placed: [number, number, string][] = [];
    render(
      <I18nProvider lang="en">
        <VehicleDiagram template={defaultTemplate} findings={[]} activePosition="rr" onPlace={(m, p) => placed.push([m.x, m.y, p])} />
      </I18nProvider>,
    );
    const svg = screen.getByRole('group', { name: /Tap the diagram to mark damage/ });
    svg.getBoundingClientRect = () => ({ left: 10, top: 20, width: DIAGRAM_W / 2, height: DIAGRAM_H / 2, right: 0, bottom: 0, x: 10, y: 20, toJSON: () => ({}) });
    fireEvent.click(svg, { clientX: 10 + DIAGRAM_W / 4, clientY: 20 + DIAGRAM_H * 0.025 });
    fireEvent.click(screen.getByRole('button', { name: 'Place marker at the centre of this position' }));
    expect(placed).toEqual([
      [0.5, 0.05, 'f'],
      [0.75, 0.69, 'rr'],
    ]);
  });
});

describe('markers never cover a position label', () => {
  it('a marker tapped on a label is drawn just clear of it; elsewhere exactly where tapped', () => {
    for (const p of defaultTemplate.positions) {
      const b = labelBox(p);
      // a grid of taps over the label and around it
      for (let dx = -40; dx <= 40; dx += 10)
        for (let dy = -30; dy <= 22; dy += 4) {
          const m = { x: ((b.x0 + b.x1) / 2 + dx) / DIAGRAM_W, y: ((b.y0 + b.y1) / 2 + dy) / DIAGRAM_H };
          const at = markerDrawPoint(defaultTemplate, m);
          for (const q of defaultTemplate.positions) {
            const l = labelBox(q);
            const overlaps = at.x + MARKER_R > l.x0 && at.x - MARKER_R < l.x1 && at.y + MARKER_R > l.y0 && at.y - MARKER_R < l.y1;
            expect(overlaps, `${p.id} tap ${dx},${dy} covers ${q.id}`).toBe(false);
          }
          expect(at.x).toBe(m.x * DIAGRAM_W);
        }
    }
    const free = { x: 0.5, y: 0.5 };
    expect(markerDrawPoint(defaultTemplate, free)).toEqual({ x: 0.5 * DIAGRAM_W, y: 0.5 * DIAGRAM_H });
  });
});
