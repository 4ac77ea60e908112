// Which exits a checklist's open items could still lead to (engine/bounds.py and
// engine/checklist.py): each group's score as an interval, conditions in three-valued logic,
// then the box's corners, then every final tally, exactly as the engine looks ahead.
"use strict";

const GTBounds = (() => {
  const { isNum, truthy, pyEq, RAW, compare, pyRound, pyMin, constant, evaluate,
    PyError } = GTPython;
  const MAX_TALLIES = 4096;
  const CORNER_GROUPS = 4;
  class Unknown {}  // bounds: the intervals cannot follow this expression
  class Fails {}    // bounds: a condition fails on a tally that may happen
  const ANSWERED = "answered";

  function effectiveQuorum(node, quorum) {
    if (node.unanswered === "no") return 0;
    if (node.unanswered === "all" || quorum === null) return node.all_items;
    return Number(quorum);
  }

  function scope(node, scores, answered) {
    const values = new Map([[ANSWERED, BigInt(answered)]]);
    node.groups.forEach((group, g) => {
      values.set(group.name, scores[g]);
      values.set(`${group.name}_items`, BigInt(node.items.filter((i) => i.group === g).length));
    });
    return values;
  }

  // --- checklist look-ahead (engine/bounds.py) ---------------------------------------
  class Iv {
    constructor(lo, hi) { this.lo = lo; this.hi = hi; }
  }

  function interval(v) {
    if (v instanceof Iv) return v;
    throw new Unknown();
  }

  function truth(v) {
    if (v === null || typeof v === "boolean") return v;
    throw new Unknown();
  }

  function boxValue(node, box, read) {
    const numeric = (v) => (isNum(v) ? new Iv(v, v) : v);
    switch (node.k) {
      case "const": return numeric(constant(node));
      case "name": return box.has(node.id) ? box.get(node.id) : numeric(read(node.id));
      case "and": case "or": {
        const stop = node.k === "or";
        let result = !stop;
        for (const operand of node.values) {
          const t = truth(boxValue(operand, box, read));
          if (t === stop) return stop;
          if (t === null) result = null;
        }
        return result;
      }
      case "not": {
        const t = truth(boxValue(node.x, box, read));
        return t === null ? null : !t;
      }
      case "neg": case "pos": {
        const { lo, hi } = interval(boxValue(node.x, box, read));
        return node.k === "neg" ? new Iv(-hi, -lo) : new Iv(lo, hi);
      }
      case "bin": {
        const { lo: a, hi: b } = interval(boxValue(node.l, box, read));
        const { lo: c, hi: d } = interval(boxValue(node.r, box, read));
        const op = RAW[node.op];
        if (node.op === "+") return new Iv(op(a, c), op(b, d));
        if (node.op === "-") return new Iv(op(a, d), op(b, c));
        if (node.op === "*" || (node.op === "/" && (c > 0 || d < 0))) {
          const all = [op(a, c), op(a, d), op(b, c), op(b, d)];
          return new Iv(pyMin(all, true), pyMin(all, false));
        }
        if (node.op !== "/" && pyEq(a, b) && pyEq(c, d) && !pyEq(c, 0n)) {
          const exact = op(a, c);
          return new Iv(exact, exact);
        }
        throw new Unknown();
      }
      case "cmp": {
        let left = boxValue(node.l, box, read);
        let result = true;
        for (let i = 0; i < node.ops.length; i++) {
          const right = boxValue(node.rs[i], box, read);
          const t = boxCompare(node.ops[i], left, right);
          if (t === false) return false;
          if (t === null) result = null;
          left = right;
        }
        return result;
      }
      case "if": {
        const t = truth(boxValue(node.test, box, read));
        if (t !== null) return boxValue(t ? node.body : node.else, box, read);
        const body = boxValue(node.body, box, read), orelse = boxValue(node.else, box, read);
        if (body instanceof Iv && orelse instanceof Iv) {
          return new Iv(pyMin([body.lo, orelse.lo], true), pyMin([body.hi, orelse.hi], false));
        }
        if (body instanceof Iv || orelse instanceof Iv) return null;
        return body === orelse ? body : null;
      }
      case "call": {
        const args = node.args.map((a) => interval(boxValue(a, box, read)));
        const lows = args.map((a) => a.lo), highs = args.map((a) => a.hi);
        if (node.f === "min") return new Iv(pyMin(lows, true), pyMin(highs, true));
        if (node.f === "max") return new Iv(pyMin(lows, false), pyMin(highs, false));
        if (node.f === "abs" && args.length === 1) {
          const { lo, hi } = args[0];
          if (lo >= 0) return new Iv(lo, hi);
          if (hi <= 0) return new Iv(-hi, -lo);
          return new Iv(0n, pyMin([-lo, hi], false));
        }
        if (node.f === "round" && args.length === 1) {
          return new Iv(pyRound(args[0].lo), pyRound(args[0].hi));
        }
        throw new Unknown();
      }
    }
    throw new Unknown();
  }

  function boxCompare(op, left, right) {
    if (!(left instanceof Iv && right instanceof Iv)) {
      if (left instanceof Iv || right instanceof Iv || op === "in" || op === "not in") {
        throw new Unknown();
      }
      return compare(op, left, right);
    }
    const { lo: a, hi: b } = left, { lo: c, hi: d } = right;
    switch (op) {
      case "<": return b < c ? true : a >= d ? false : null;
      case "<=": return b <= c ? true : a > d ? false : null;
      case ">": return a > d ? true : b <= c ? false : null;
      case ">=": return a >= d ? true : b < c ? false : null;
      case "==": case "!=": {
        let equal;
        if (pyEq(a, b) && pyEq(b, c) && pyEq(c, d)) equal = true;
        else if (b < c || d < a) equal = false;
        else equal = null;
        if (op === "==" || equal === null) return equal;
        return !equal;
      }
    }
    throw new Unknown();
  }

  function possibleExits(node, answers, quorum, read) {
    const groups = node.groups.length;
    const low = node.groups.map(() => 0n), high = node.groups.map(() => 0n);
    answers.forEach((answer, i) => {
      const { group, $weight } = node.items[i];
      if (answer === null) {
        high[group] = RAW["+"](high[group], $weight);
      } else if (answer) {
        low[group] = RAW["+"](low[group], $weight);
        high[group] = RAW["+"](high[group], $weight);
      }
    });
    const answered = answers.length - answers.filter((a) => a === null).length;
    const needed = effectiveQuorum(node, quorum);
    const box = new Map([[ANSWERED, new Iv(BigInt(Math.max(needed, answered)),
      BigInt(answers.length))]]);
    node.groups.forEach((group, g) => {
      box.set(group.name, new Iv(low[g], high[g]));
      const count = BigInt(node.items.filter((i) => i.group === g).length);
      box.set(`${group.name}_items`, new Iv(count, count));
    });
    let upper = null, corners = null;
    try {
      upper = [];
      for (const [index, exit] of node.exits.entries()) {
        const holds = exit.condition ? truth(boxValue(exit.condition, box, read)) : true;
        if (holds === false) continue;
        upper.push(index);
        if (holds === true) break;
      }
      if (upper.length === 1) return upper;
      corners = cornerExits(node, low, high, answers.length, groups, read);
    } catch (e) {
      if (!(e instanceof Unknown)) throw e;
      corners = null;
    }
    if (corners !== null && upper !== null && corners.length === upper.length
        && corners.every((c) => upper.includes(c))) {
      return upper;
    }
    return enumerated(node, answers, quorum, read);
  }

  function cornerExits(node, low, high, items, groups, read) {
    const choices = [];
    if (groups <= CORNER_GROUPS) {
      for (let bits = 0; bits < (1 << groups); bits++) {
        choices.push(low.map((_, g) => ((bits >> (groups - 1 - g)) & 1) === 1));
      }
    } else {
      choices.push(low.map(() => false), low.map(() => true));
    }
    const found = new Set();
    for (const corner of choices) {
      const scores = corner.map((up, g) => (up ? high[g] : low[g]));
      try {
        found.add(pick(node, scope(node, scores, items), read));
      } catch (e) {
        if (e instanceof Fails) return null;
        throw e;
      }
    }
    return [...found].sort((a, b) => a - b);
  }

  function pick(node, own, read) {
    for (const [index, exit] of node.exits.entries()) {
      if (!exit.condition) return index;
      let holds;
      try {
        holds = evaluate(exit.condition, read, own);
      } catch (e) {
        if (e instanceof PyError) throw new Fails();
        throw e;
      }
      if (truthy(holds)) return index;
    }
    throw new Error(`checklist ${node.id} has no default`);
  }

  function enumerated(node, answers, quorum, read) {
    const mayStayOpen = node.unanswered === "quorum";
    const key = (scores, answered) => `${scores.map(String).join(",")}|${answered}`;
    const start = node.groups.map(() => 0n);
    let answeredNow = 0;
    answers.forEach((answer, i) => {
      if (answer === null) return;
      answeredNow += 1;
      if (answer) start[node.items[i].group] = RAW["+"](start[node.items[i].group],
        node.items[i].$weight);
    });
    let states = new Map([[key(start, answeredNow), [start, answeredNow]]]);
    for (const [i, item] of node.items.entries()) {
      if (answers[i] !== null) continue;
      const grown = new Map();
      for (const [scores, answered] of states.values()) {
        if (mayStayOpen) grown.set(key(scores, answered), [scores, answered]);
        grown.set(key(scores, answered + 1), [scores, answered + 1]);
        const bumped = scores.slice();
        bumped[item.group] = RAW["+"](bumped[item.group], item.$weight);
        grown.set(key(bumped, answered + 1), [bumped, answered + 1]);
      }
      if (grown.size > MAX_TALLIES) return null;
      states = grown;
    }
    const needed = effectiveQuorum(node, quorum);
    const found = new Set();
    try {
      for (const [scores, answered] of states.values()) {
        if (answered >= needed) found.add(pick(node, scope(node, scores, answered), read));
      }
    } catch (e) {
      if (e instanceof Fails) return null;
      throw e;
    }
    return [...found].sort((a, b) => a - b);
  }

  return { ANSWERED, effectiveQuorum, scope, possibleExits };
})();
