/** The header's preprocessing flags come from the manifest's edge steps, and only steps the firmware runs pass. */
import { firmwareInput } from '../src/export/header';

describe('firmwareInput (edge_model.h flags from the manifest edge steps)', () => {
  it('maps gravityAlign -> averagePool [-> rmsNormalize] to the pool factor and the RMS flag', () => {
    expect(firmwareInput([{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }, { op: 'rmsNormalize' }])).toEqual({ poolFactor: 4, rmsNormalize: true });
    expect(firmwareInput([{ op: 'gravityAlign' }, { op: 'averagePool', factor: 2 }])).toEqual({ poolFactor: 2, rmsNormalize: false });
  });

  it('refuses steps the firmware does not implement, or in another order', () => {
    expect(() => firmwareInput([{ op: 'gravityAlign' }, { op: 'rmsNormalize' }, { op: 'averagePool', factor: 4 }])).toThrow(/cannot run the edge preprocessing gravityAlign,rmsNormalize,averagePool/);
    expect(() => firmwareInput([{ op: 'standardize', mean: [0], std: [1] }])).toThrow(/cannot run/);
    expect(() => firmwareInput([])).toThrow(/cannot run/);
    expect(() => firmwareInput([{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }, { op: 'rmsNormalize', keepLevel: true }])).toThrow(/keepLevel/);
  });
});
