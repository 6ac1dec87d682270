import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RECOGNITION_SETTINGS } from '../recognition-settings';
import { parseLabels, planEvaluation, type ProbeOutcome, summarise } from './face-eval';

const DEV_SET = path.resolve(__dirname, '../../../../../../shared/data/faces');

describe('face-eval protocol', () => {
  it('reads labels.csv with quoted commas', () => {
    const photos = parseLabels(
      'file,identity,role,label_evidence\r\na.jpg,person01,known,"folder, checked"\r\nb.jpg,impostor01,impostor,x\r\n',
    );
    expect(photos).toEqual([
      { file: 'a.jpg', identity: 'person01', role: 'known' },
      { file: 'b.jpg', identity: 'impostor01', role: 'impostor' },
    ]);
  });

  it('splits the dev set as face-models.md does: 24 gallery photos, 52 probes', () => {
    const plan = planEvaluation(
      parseLabels(readFileSync(path.join(DEV_SET, 'labels.csv'), 'utf8')),
    );
    const gallery = [...plan.gallery.values()].flat();
    expect([plan.gallery.size, gallery.length, plan.probes.length]).toEqual([11, 24, 52]);
    expect(plan.probes.filter((probe) => probe.identity === null)).toHaveLength(10);
    expect(gallery.some((file) => plan.probes.some((probe) => probe.file === file))).toBe(false);
  });

  it('counts rank-1, FAR and FRR at the threshold', () => {
    const matching = { ...DEFAULT_RECOGNITION_SETTINGS.matching, threshold: 0.9 };
    const outcome = (
      identity: string | null,
      personId: string | null,
      similarity = 0.95,
    ): ProbeOutcome => ({
      file: 'x',
      identity,
      match: personId ? { personId, similarity } : null,
      failure: personId ? null : 'NO_FACE',
    });
    const summary = summarise(
      [
        outcome('ann', 'ann'), // right
        outcome('ann', 'ann', 0.8), // right person, too low: false reject
        outcome('bob', 'ann'), // wrong person accepted: false accept
        outcome('bob', null), // no face: false reject
        outcome(null, 'ann', 0.85), // impostor rejected
        outcome(null, 'bob', 0.91), // impostor accepted
      ],
      matching,
    );
    expect(summary).toMatchObject({ probes: 6, knownProbes: 4, rank1: 0.25, frr: 0.5 });
    expect(summary.far).toBeCloseTo(2 / 6);
    expect(summary.genuine).toEqual({ min: 0.8, max: 0.95 });
    expect(summary.impostor).toEqual({ min: 0.85, max: 0.95 });
  });
});
