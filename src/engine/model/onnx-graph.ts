import onnxProto from 'onnx-proto';
import { InputError } from '../load/input-error.ts';
import { type FeatureSpec, parseFeatureSpecs } from './features.ts';

const { onnx } = onnxProto;

/** One tree of an ai.onnx.ml tree ensemble, as arrays indexed by node position. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  /** BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ or LEAF. */
  mode: string[];
  /** Child positions taken when the comparison holds / fails (-1 for leaves). */
  yes: Int32Array;
  no: Int32Array;
  /** Where a missing value goes: 1 = the true child. */
  missingYes: Uint8Array;
  /** The leaf's contribution to the score (the positive class for a classifier). */
  value: Float64Array;
  /**
   * The node covers (training samples reaching each node: `nodes_hitrates`, which scikit-learn
   * converters fill with `weighted_n_node_samples`); null when the graph has none.
   */
  cover: Float64Array | null;
}

/** A tree ensemble whose score is base + Σ trees' leaf values (post_transform NONE). */
export interface TreeEnsemble {
  kind: 'classifier' | 'regressor';
  trees: Tree[];
  base: number;
  /**
   * Why ONNX Runtime's output is NOT Σ leaf values accumulated in float32 in tree order (then
   * `+ regressorBase` for a regressor), the arithmetic Assay's tree evaluator reproduces; empty
   * when it is (see model/tree-evaluator.ts); absent for an ensemble not read from a graph.
   */
  ortSumNote?: string;
  /** A regressor's single base value, which ONNX Runtime adds after the trees (float32); else null. */
  regressorBase?: number | null;
}

/** What Assay reads from an ONNX file besides running it. */
export interface OnnxGraphInfo {
  /** From the model's `assay.features` metadata (JSON list of {name, categories?}), if present. */
  features: FeatureSpec[] | null;
  /** The tree ensemble, when the graph is one ai.onnx.ml TreeEnsemble node with an additive output. */
  ensemble: TreeEnsemble | null;
  /** Why the graph has no usable ensemble (for messages). */
  ensembleNote: string;
}

type Attr = InstanceType<typeof onnx.AttributeProto>;

const asNumbers = (values: readonly (number | { toNumber(): number })[]): number[] =>
  values.map((v) => (typeof v === 'number' ? v : v.toNumber()));

/** Reads the feature metadata and, when present, the tree ensemble of an ONNX model. */
export function readOnnxGraph(bytes: Uint8Array, file: string): OnnxGraphInfo {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new InputError(`${file}: not an ONNX model (${(err as Error).message})`);
  }
  const meta = model.metadataProps.find((p) => p.key === 'assay.features');
  const features = meta?.value ? parseFeatureSpecs(meta.value, `${file}: metadata assay.features`) : null;
  const nodes = model.graph?.node ?? [];
  const trees = nodes.filter((n) => /^TreeEnsemble(Classifier|Regressor)$/.test(n.opType ?? ''));
  if (trees.length !== 1) {
    return { features, ensemble: null, ensembleNote: 'the graph has no single TreeEnsemble node' };
  }
  const node = trees[0] as NonNullable<(typeof trees)[0]>;
  const attrs = new Map<string, Attr>((node.attribute ?? []).map((a) => [a.name ?? '', a as Attr]));
  const post = attrs.get('post_transform')?.s;
  const postTransform = post ? new TextDecoder().decode(post) : 'NONE';
  if (postTransform !== 'NONE') {
    return {
      features,
      ensemble: null,
      ensembleNote: `post_transform ${postTransform} is not additive in the output`,
    };
  }
  return { features, ensemble: ensembleFrom(node.opType as string, attrs), ensembleNote: '' };
}

function ensembleFrom(opType: string, attrs: Map<string, Attr>): TreeEnsemble {
  const classifier = opType === 'TreeEnsembleClassifier';
  const prefix = classifier ? 'class' : 'target';
  const ints = (name: string) => asNumbers(attrs.get(name)?.ints ?? []);
  const floats = (name: string) => attrs.get(name)?.floats ?? [];
  const strings = (name: string) => (attrs.get(name)?.strings ?? []).map((s) => new TextDecoder().decode(s));
  const treeIds = ints('nodes_treeids');
  const nodeIds = ints('nodes_nodeids');
  const featureIds = ints('nodes_featureids');
  const values = floats('nodes_values');
  const modes = strings('nodes_modes');
  const trueIds = ints('nodes_truenodeids');
  const falseIds = ints('nodes_falsenodeids');
  const missing = ints('nodes_missing_value_tracks_true');
  const hitrates = floats('nodes_hitrates');
  const labels = classifier ? ints('classlabels_int64s') : [];
  const nClasses = classifier ? Math.max(labels.length, strings('classlabels_strings').length) : 1;
  // the positive class: the last one (class 1 of a binary classifier), as Assay's score
  const positive = classifier ? nClasses - 1 : 0;
  const byTree = new Map<number, { positions: Map<number, number>; entries: number[] }>();
  treeIds.forEach((t, i) => {
    let tree = byTree.get(t);
    if (!tree) {
      tree = { positions: new Map(), entries: [] };
      byTree.set(t, tree);
    }
    tree.positions.set(nodeIds[i] as number, tree.entries.length);
    tree.entries.push(i);
  });
  const out: Tree[] = [];
  const index = new Map<number, Tree>();
  for (const [t, { positions, entries }] of byTree) {
    const n = entries.length;
    const tree: Tree = {
      feature: new Int32Array(n),
      threshold: new Float64Array(n),
      mode: [],
      yes: new Int32Array(n).fill(-1),
      no: new Int32Array(n).fill(-1),
      missingYes: new Uint8Array(n),
      value: new Float64Array(n),
      cover: hitrates.length === treeIds.length ? new Float64Array(n) : null,
    };
    entries.forEach((i, p) => {
      tree.feature[p] = featureIds[i] as number;
      // thresholds are float32 in the graph: compared as ONNX Runtime compares float32 inputs
      tree.threshold[p] = Math.fround(values[i] as number);
      const mode = modes[i] ?? 'LEAF';
      tree.mode.push(mode);
      tree.missingYes[p] = missing[i] === 1 ? 1 : 0;
      if (tree.cover) tree.cover[p] = hitrates[i] as number;
      if (mode !== 'LEAF') {
        tree.yes[p] = positions.get(trueIds[i] as number) ?? -1;
        tree.no[p] = positions.get(falseIds[i] as number) ?? -1;
      }
    });
    index.set(t, tree);
    out.push(tree);
  }
  const leafTrees = ints(`${prefix}_treeids`);
  const leafNodes = ints(`${prefix}_nodeids`);
  const leafIds = ints(`${prefix}_ids`);
  const weights = floats(`${prefix}_weights`);
  // a binary classifier may carry one weight column: it scores the positive class
  const binaryOneColumn = classifier && nClasses === 2 && leafIds.every((c) => c === 0);
  leafTrees.forEach((t, k) => {
    const cls = leafIds[k] as number;
    if (!binaryOneColumn && cls !== positive) return;
    const tree = index.get(t);
    const pos = byTree.get(t)?.positions.get(leafNodes[k] as number);
    if (!tree || pos === undefined) return;
    tree.value[pos] = (tree.value[pos] as number) + (weights[k] as number);
  });
  const bases = floats('base_values');
  return {
    kind: classifier ? 'classifier' : 'regressor',
    trees: out,
    base: (bases.length > positive ? bases[positive] : bases[0]) ?? 0,
    ortSumNote: ortSumNote(),
    regressorBase: !classifier && bases.length === 1 ? (bases[0] as number) : null,
  };

  /**
   * The shapes whose ONNX Runtime output was checked to be the float32 sum in tree order (the
   * aggregators of tree_ensemble_aggregator.h; tree-evaluator.test.ts compares bit for bit): a
   * binary classifier without base values whose every leaf has one weight of the positive class,
   * or a one-target SUM regressor with at most one base value and one weight a leaf; float
   * attributes (not *_as_tensor); trees listed in order, each starting at its root.
   */
  function ortSumNote(): string {
    for (const name of attrs.keys()) if (name.endsWith('_as_tensor')) return `${name} (double attributes)`;
    if (classifier && (nClasses !== 2 || bases.length > 0 || binaryOneColumn)) {
      return 'a classifier other than binary with both class weights and no base values';
    }
    if (!classifier) {
      const aggregate = attrs.get('aggregate_function')?.s;
      if (aggregate && new TextDecoder().decode(aggregate) !== 'SUM') return 'aggregate_function is not SUM';
      if ((asNumbers([attrs.get('n_targets')?.i ?? 1])[0] as number) !== 1 || bases.length > 1) {
        return 'more than one target';
      }
    }
    const order = [...byTree.keys()];
    if (order.some((t, k) => k > 0 && t <= (order[k - 1] as number))) return 'trees not listed in order';
    const perLeaf = new Map<string, number>();
    leafTrees.forEach((t, k) => {
      if (classifier && leafIds[k] !== positive) return;
      const key = `${t}:${leafNodes[k]}`;
      perLeaf.set(key, (perLeaf.get(key) ?? 0) + 1);
    });
    for (const [t, tree] of index) {
      if (tree.yes.includes(0) || tree.no.includes(0)) return 'a tree does not start at its root';
      for (let p = 0; p < tree.mode.length; p++) {
        if (tree.mode[p] === 'LEAF') {
          const nodeId = nodeIds[(byTree.get(t)?.entries[p] as number) ?? 0];
          if (perLeaf.get(`${t}:${nodeId}`) !== 1) return 'a leaf without exactly one weight of the score';
        } else if (!/^BRANCH_(LEQ|LT|GTE|GT)$/.test(tree.mode[p] as string)) {
          return `${tree.mode[p]} nodes`;
        } else if (tree.yes[p] === -1 || tree.no[p] === -1) return 'a child id that names no node';
      }
    }
    return '';
  }
}

/** Whether `x` takes the true branch of a node (ONNX Runtime's comparisons, NaN by missing-track). */
export function goesYes(tree: Tree, node: number, x: number): boolean {
  if (Number.isNaN(x)) return tree.missingYes[node] === 1;
  const t = tree.threshold[node] as number;
  switch (tree.mode[node]) {
    case 'BRANCH_LEQ':
      return x <= t;
    case 'BRANCH_LT':
      return x < t;
    case 'BRANCH_GTE':
      return x >= t;
    case 'BRANCH_GT':
      return x > t;
    case 'BRANCH_EQ':
      return x === t;
    default:
      return x !== t;
  }
}

/** The ensemble's score for one row (features as float32, as ONNX Runtime sees them). */
export function ensembleScore(ensemble: TreeEnsemble, row: ArrayLike<number>): number {
  let sum = ensemble.base;
  for (const tree of ensemble.trees) {
    let node = 0;
    while (tree.mode[node] !== 'LEAF') {
      const x = Math.fround(row[tree.feature[node] as number] as number);
      node = goesYes(tree, node, x) ? (tree.yes[node] as number) : (tree.no[node] as number);
    }
    sum += tree.value[node] as number;
  }
  return sum;
}
