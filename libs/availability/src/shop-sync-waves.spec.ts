import { Waves } from './shop-sync-store';

describe('Waves (shops answering together are finished in one statement)', () => {
  it('writes what is added in one turn together, and what comes later in a wave of its own', async () => {
    const written: number[][] = [];
    const waves = new Waves<number>(async (items) => {
      written.push(items);
    });
    await Promise.all([waves.add(1), waves.add(2), waves.add(3)]);
    await waves.add(4);
    expect(written).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every item of a wave whose write failed, and only those', async () => {
    let calls = 0;
    const waves = new Waves<string>(async () => {
      if (calls++ === 0) throw new Error('database away');
    });
    const first = await Promise.allSettled([waves.add('a'), waves.add('b')]);
    expect(first.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await expect(waves.add('c')).resolves.toBeUndefined();
  });
});
