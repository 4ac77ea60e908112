// gatetree's walker for the browser guide: reads the JSON plan `gatetree guide` embeds
// (engine/plan_json.py) and decides as the Python engine does (engine/walk.py,
// engine/bounds.py, engine/checklist.py). Values keep Python's types: int is BigInt, float
// is Number, so `//`, `%`, `/`, round() and comparisons behave as in Python. No tree text is
// ever run: expressions are JSON syntax trees of the whitelisted subset, interpreted here.
"use strict";

const GT = (() => {
  const MAX_DIGITS = 1000n;
  const INT_BOUND = 10n ** MAX_DIGITS;
  const MAX_STRING = 1000000;
  const MAX_TALLIES = 4096;
  const CORNER_GROUPS = 4;

  class PyError extends Error {}      // an ArithmeticError / ValueError / TypeError
  class EvaluationError extends Error {}
  class InputError extends Error {}
  class NeedFact {
    constructor(fact, derivableFrom, exits, inner) {
      this.fact = fact;
      this.derivableFrom = derivableFrom || [];
      this.exits = exits === undefined ? null : exits;
      this.inner = inner || null;
    }
  }
  class Unknown {}  // bounds: the intervals cannot follow this expression
  class Fails {}    // bounds: a condition fails on a tally that may happen

  // --- values ------------------------------------------------------------------------
  const isInt = (v) => typeof v === "bigint";
  const isFloat = (v) => typeof v === "number";
  const isNum = (v) => isInt(v) || isFloat(v);

  function typed(t) {
    if (t === null || t === undefined) return null;
    switch (t.t) {
      case "int": return BigInt(t.v);
      case "float": return Number(t.v);
      case "bool": return t.v === true;
      case "str": return String(t.v);
    }
    throw new Error("unknown value type " + t.t);
  }

  function truthy(v) {
    if (typeof v === "boolean") return v;
    if (isInt(v)) return v !== 0n;
    if (isFloat(v)) return v !== 0;
    if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
    return v !== null && v !== undefined;
  }

  function pyEq(a, b) {
    if (isNum(a) && isNum(b)) return a == b;  // eslint-disable-line eqeqeq -- exact int/float
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
    }
    return a === b;
  }

  function bounded(v) {
    if (isInt(v)) {
      if (v <= -INT_BOUND || v >= INT_BOUND) {
        throw new PyError(`the result is an integer of more than ${MAX_DIGITS} digits`);
      }
    } else if (isFloat(v)) {
      if (!Number.isFinite(v)) throw new PyError("the result is not a finite number");
    } else if (typeof v === "string" && v.length > MAX_STRING) {
      throw new PyError(`the result is a string of more than ${MAX_STRING} characters`);
    }
    return v;
  }

  function toFloat(v) {
    if (isInt(v)) {
      const f = Number(v);
      if (!Number.isFinite(f)) throw new PyError("int too large to convert to float");
      return f;
    }
    if (isFloat(v)) return v;
    throw new PyError("unsupported operand type");
  }

  const copysign0 = (x) => (x < 0 || Object.is(x, -0) ? -0 : 0);

  function floatDivmod(vx, wx) {  // CPython's float_divmod
    if (wx === 0) throw new PyError("float floor division by zero");
    let mod = vx % wx;
    let div = (vx - mod) / wx;
    if (mod) {
      if ((wx < 0) !== (mod < 0)) { mod += wx; div -= 1; }
    } else {
      mod = copysign0(wx);
    }
    let floordiv;
    if (div) {
      floordiv = Math.floor(div);
      if (div - floordiv > 0.5) floordiv += 1;
    } else {
      floordiv = copysign0(vx / wx);
    }
    return [floordiv, mod];
  }

  function intFloorDiv(a, b) {
    if (b === 0n) throw new PyError("integer division or modulo by zero");
    let q = a / b;
    if (a % b !== 0n && (a < 0n) !== (b < 0n)) q -= 1n;
    return q;
  }

  function intMod(a, b) {
    if (b === 0n) throw new PyError("integer division or modulo by zero");
    let r = a % b;
    if (r !== 0n && (r < 0n) !== (b < 0n)) r += b;
    return r;
  }

  // Plain Python arithmetic (bounds.py's intervals use it); `binary` bounds each result.
  const RAW = {
    "+": (a, b) => {
      if (typeof a === "string" && typeof b === "string") {
        if (a.length + b.length > MAX_STRING) {
          throw new PyError(`the result is a string of more than ${MAX_STRING} characters`);
        }
        return a + b;
      }
      return isInt(a) && isInt(b) ? a + b : toFloat(a) + toFloat(b);
    },
    "-": (a, b) => (isInt(a) && isInt(b) ? a - b : toFloat(a) - toFloat(b)),
    "*": (a, b) => (isInt(a) && isInt(b) ? a * b : toFloat(a) * toFloat(b)),
    "/": (a, b) => {
      const x = toFloat(a), y = toFloat(b);
      if (y === 0) {
        throw new PyError(isInt(a) && isInt(b) ? "division by zero" : "float division by zero");
      }
      return x / y;
    },
    "//": (a, b) => (isInt(a) && isInt(b) ? intFloorDiv(a, b)
      : floatDivmod(toFloat(a), toFloat(b))[0]),
    "%": (a, b) => {
      if (isInt(a) && isInt(b)) return intMod(a, b);
      if (toFloat(b) === 0) throw new PyError("float modulo");
      return floatDivmod(toFloat(a), toFloat(b))[1];
    },
  };
  const binary = (op, a, b) => bounded(RAW[op](a, b));

  function less(a, b) { return a < b; }  // int/float mixed: exact in JS as in Python

  function compare(op, a, b) {
    switch (op) {
      case "==": return pyEq(a, b);
      case "!=": return !pyEq(a, b);
      case "<": return less(a, b);
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
      case "in": return contains(b, a);
      case "not in": return !contains(b, a);
    }
    throw new Error("unknown comparison " + op);
  }

  function contains(container, item) {
    if (typeof container === "string") return container.includes(item);
    return container.some((x) => pyEq(x, item));
  }

  // round() as Python's: half to even on the exact binary value, then back to a double.
  function decompose(x) {  // |x| = m * 2**e
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0), lo = view.getUint32(4);
    const exp = (hi >>> 20) & 0x7ff;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let e;
    if (exp === 0) { e = -1074; } else { m |= 1n << 52n; e = exp - 1075; }
    return [m, e];
  }

  function halfEven(num, den) {  // round(num / den), both > 0 (or num 0), ties to even
    let q = num / den;
    const twice = 2n * (num - q * den);
    if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
    return q;
  }

  function scaledRound(x, n) {  // round(|x| * 10**n) to an integer, ties to even
    const [m, e] = decompose(Math.abs(x));
    let num = m, den = 1n;
    if (e >= 0) num <<= BigInt(e); else den <<= BigInt(-e);
    if (n >= 0) num *= 10n ** BigInt(n); else den *= 10n ** BigInt(-n);
    return halfEven(num, den);
  }

  function pyRound(number, digits) {
    if (digits === undefined) {
      if (isInt(number)) return number;
      const q = scaledRound(number, 0);
      return bounded(number < 0 ? -q : q);
    }
    if (digits < -MAX_DIGITS || digits > MAX_DIGITS) {
      throw new PyError(`round() digits must be between -${MAX_DIGITS} and ${MAX_DIGITS}, `
        + `got ${digits}`);
    }
    if (isInt(number)) {
      if (digits >= 0n) return number;
      const p = 10n ** -digits;
      let q = intFloorDiv(number, p);
      const twice = 2n * (number - q * p);
      if (twice > p || (twice === p && (q & 1n) === 1n)) q += 1n;
      return bounded(q * p);
    }
    const n = Number(digits);
    if (n > 323) return number;
    if (n < -308) return 0.0 * number;
    const q = scaledRound(number, n);
    const negative = number < 0 || Object.is(number, -0);
    const result = parseFloat(`${negative ? "-" : ""}${q}e${-n}`);
    if (!Number.isFinite(result)) throw new PyError("rounded value too large to represent");
    return result;
  }

  function pyMin(args, wantLess) {  // Python's min/max: the first extreme argument
    let best = args[0];
    for (const x of args.slice(1)) if (wantLess ? x < best : x > best) best = x;
    return best;
  }

  const FUNCTIONS = {
    min: (...a) => pyMin(a, true),
    max: (...a) => pyMin(a, false),
    abs: (v) => (isInt(v) ? (v < 0n ? -v : v) : Math.abs(v)),
    len: (s) => BigInt([...s].length),
    round: pyRound,
  };

  // --- expressions -------------------------------------------------------------------
  function constant(node) {
    if (!("$v" in node)) node.$v = typed(node);
    return node.$v;
  }

  function evaluate(node, read, own) {
    switch (node.k) {
      case "const": return constant(node);
      case "name":
        if (own && own.has(node.id)) return own.get(node.id);
        return read(node.id);
      case "and": case "or": {
        let value;
        for (const operand of node.values) {
          value = evaluate(operand, read, own);
          if (truthy(value) === (node.k === "or")) return value;
        }
        return value;
      }
      case "not": return !truthy(evaluate(node.x, read, own));
      case "neg": {
        const v = evaluate(node.x, read, own);
        return isInt(v) ? -v : -v;
      }
      case "pos": return evaluate(node.x, read, own);
      case "bin": {
        const left = evaluate(node.l, read, own);
        const right = evaluate(node.r, read, own);
        return binary(node.op, left, right);
      }
      case "cmp": {
        let left = evaluate(node.l, read, own);
        for (let i = 0; i < node.ops.length; i++) {
          const right = evaluate(node.rs[i], read, own);
          if (!compare(node.ops[i], left, right)) return false;
          left = right;
        }
        return true;
      }
      case "if":
        return truthy(evaluate(node.test, read, own))
          ? evaluate(node.body, read, own) : evaluate(node.else, read, own);
      case "list": return node.items.map((item) => evaluate(item, read, own));
      case "call": {
        const args = node.args.map((a) => evaluate(a, read, own));
        if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, node.f)) {
          throw new PyError(`unknown function ${node.f}`);
        }
        return FUNCTIONS[node.f](...args);
      }
    }
    throw new Error("unknown expression node " + node.k);
  }

  // --- showing values (engine/values.py show_value, Python's float repr) --------------
  function floatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sign = x < 0 ? "-" : "";
    const [mantissa, exp] = Math.abs(x).toExponential().split("e");
    const digits = mantissa.replace(".", "");
    const decpt = Number(exp) + 1;
    if (decpt <= -4 || decpt > 16) {
      const e = decpt - 1;
      const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      return `${sign}${body}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
    }
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }

  function showValue(v, yesNo) {
    if (typeof v === "boolean") return yesNo ? (v ? "yes" : "no") : (v ? "true" : "false");
    if (isFloat(v)) {
      if (!Number.isFinite(v)) return floatRepr(v);
      const shown = Number(v.toPrecision(12));
      if (Number.isInteger(shown) && Math.abs(shown) < 1e16) return BigInt(shown).toString();
      return floatRepr(shown);
    }
    return String(v);
  }

  const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;
  function fill(text, params) {
    if (!text || !text.includes("{")) return text || "";
    return text.replace(PLACEHOLDER, (whole, name) =>
      (params.has(name) ? showValue(params.get(name), true) : whole));
  }

  // --- the plan ----------------------------------------------------------------------
  const asMap = (object) => new Map(Object.entries(object || {}));

  function loadPlan(data) {
    const plan = {
      data,
      tree: data.tree,
      start: data.start,
      nodes: asMap(data.nodes),
      facts: asMap(data.facts),
      params: asMap(data.params),
      ownNames: new Set(data.own_names),
      order: data.node_order,
      callees: new Map(),
      defaults: new Map(),
    };
    for (const [name, p] of plan.params) plan.defaults.set(name, typed(p.default));
    for (const fact of plan.facts.values()) fact.$default = typed(fact.default);
    for (const node of plan.nodes.values()) {
      for (const exit of node.exits || []) exit.$value = typed(exit.value);
      for (const item of node.items || []) item.$weight = typed(item.weight);
    }
    for (const [id, callee] of Object.entries(data.callees || {})) {
      plan.callees.set(id, loadPlan(callee));
    }
    return plan;
  }

  // --- the walk (engine/walk.py) -----------------------------------------------------
  const DEFAULT = "default", OUTER = "outer", OPEN = Symbol("open"), ANSWERED = "answered";

  function same(value, expected) {
    if (typeof value === "boolean" || typeof expected === "boolean") return value === expected;
    if (typeof value === "string" || typeof expected === "string") return value === expected;
    return isNum(value) && isNum(expected) && value == expected;  // eslint-disable-line eqeqeq
  }

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

  class Run {
    constructor(plan, facts, overrides, params, outer) {
      this.plan = plan;
      this.facts = facts;
      this.overrides = overrides;
      this.params = params;
      this.outer = outer || null;
      this.known = this.outer ? new Map() : new Map([...facts, ...params]);
      this.how = new Map();
      this.failed = new Map();
      this.reads = [];
      this.steps = [];
      this.path = [];
      this.actions = [];
      this.status = "decided";
      this.outcome = null;
      this.missing = null;
      this.subs = new Map();  // call node -> the called tree's run, for the page
      this.read = (name) => this.readRecorded(name);
    }

    value(name) {
      return this.known.has(name) ? this.known.get(name) : this.resolve(name);
    }

    readRecorded(name) {
      const value = this.value(name);
      if (!this.reads.includes(name)) this.reads.push(name);
      return value;
    }

    resolve(name) {
      const outer = this.outer;
      if (outer) {
        if (outer.plan.ownNames.has(name)) {
          const value = outer.value(name);
          this.known.set(name, value);
          this.how.set(name, OUTER);
          return value;
        }
        for (const source of [this.params, this.facts]) {
          if (source.has(name)) {
            this.known.set(name, source.get(name));
            return source.get(name);
          }
        }
      }
      if (this.failed.has(name)) throw this.failed.get(name);
      const fact = this.plan.facts.get(name);
      if (fact.derive) {
        const saved = this.reads;
        const inputs = this.reads = [];
        let value, needed = false;
        try {
          value = evaluate(fact.derive, this.read, null);
        } catch (e) {
          this.reads = saved;
          if (e instanceof NeedFact) {
            needed = true;
            if (fact.$default === null) {
              const need = new NeedFact(name, this.unresolved(fact.derive_names));
              this.failed.set(name, need);
              throw need;
            }
          } else if (e instanceof PyError) {
            throw new EvaluationError(`cannot evaluate ${JSON.stringify(fact.derive_text)}: `
              + e.message);
          } else {
            throw e;
          }
        }
        if (!needed) {
          this.reads = saved;
          this.known.set(name, value);
          this.how.set(name, inputs);
          return value;
        }
      }
      if (fact.$default !== null) {
        this.known.set(name, fact.$default);
        this.how.set(name, DEFAULT);
        return fact.$default;
      }
      const need = new NeedFact(name);
      this.failed.set(name, need);
      throw need;
    }

    unresolved(names) {
      const missing = [];
      for (const name of names) {
        try {
          this.value(name);
        } catch (e) {
          if (!(e instanceof NeedFact)) throw e;
          for (const n of (e.derivableFrom.length ? e.derivableFrom : [e.fact])) {
            if (!missing.includes(n)) missing.push(n);
          }
        }
      }
      return missing;
    }

    question(fact) {
      return fill(this.plan.facts.get(fact).question, this.params);
    }

    walk() {
      const nodes = this.plan.nodes;
      let nodeId = this.plan.start;
      for (;;) {
        this.path.push(nodeId);
        const node = nodes.get(nodeId);
        if (node.kind === "outcome") {
          this.outcome = node;
          return this;
        }
        this.reads = [];
        let index, extra = null;
        try {
          if (node.kind === "gate") index = this.gate(node);
          else if (node.kind === "checklist") [index, extra] = this.checklist(node);
          else [index, extra] = this.call(node);
        } catch (e) {
          if (e instanceof NeedFact) {
            this.stuck(node, e);
            return this;
          }
          throw e;
        }
        const exit = node.exits[index];
        this.steps.push({ node: nodeId, exit: index, reads: this.reads, extra });
        if (node.kind === "call") {
          for (const [at, text] of extra.actions) this.actions.push([`${nodeId}/${at}`, text]);
        }
        for (const text of exit.actions) this.actions.push([nodeId, fill(text, this.params)]);
        nodeId = exit.next;
      }
    }

    stuck(node, need) {
      this.status = "incomplete";
      if (need.inner) {
        this.missing = { ...need.inner, via: [node.id, ...need.inner.via] };
      } else {
        this.missing = { fact: need.fact, question: this.question(need.fact), node: node.id,
          derivable_from: need.derivableFrom, via: [] };
      }
    }

    gate(node) {
      const value = node.fact ? this.read(node.fact) : undefined;
      for (const [index, exit] of node.exits.entries()) {
        if (exit.kind === "when") {
          if (same(value, exit.$value)) return index;
        } else if (exit.kind === "if") {
          if (truthy(this.holds(exit, null))) return index;
        } else {
          return index;
        }
      }
      throw new Error(`gate ${node.id} has no exit for ${value}`);
    }

    holds(exit, own) {
      try {
        return evaluate(exit.condition, this.read, own);
      } catch (e) {
        if (e instanceof PyError) {
          throw new EvaluationError(`cannot evaluate ${JSON.stringify(exit.condition_text)}: `
            + e.message);
        }
        throw e;
      }
    }

    checklist(node) {
      const answers = [];
      let first = null;
      for (const item of node.items) {
        const value = this.answer(item.fact);
        if (value === OPEN) {
          answers.push(null);
          first = first || item.fact;
        } else {
          answers.push(truthy(value));
        }
      }
      const quorum = node.quorum === null ? null
        : node.quorum.param ? this.read(node.quorum.param) : typed(node.quorum);
      const items = node.items.length;
      if (node.unanswered === "quorum" && quorum !== null
          && !(1 <= quorum && quorum <= items)) {
        throw new InputError(`param '${node.quorum.param}' is ${quorum}, but checklist `
          + `'${node.id}' can wait for 1 to ${items} answers`);
      }
      const answered = items - answers.filter((a) => a === null).length;
      if (answered >= effectiveQuorum(node, quorum)) {
        const scores = node.groups.map(() => 0n);
        answers.forEach((answer, i) => {
          if (answer) {
            const item = node.items[i];
            scores[item.group] = RAW["+"](scores[item.group], item.$weight);
          }
        });
        const own = scope(node, scores, answered);
        for (const [index, exit] of node.exits.entries()) {
          if (!exit.condition || truthy(this.holds(exit, own))) {
            return [index, { answers, quorum, early: false }];
          }
        }
        throw new Error(`checklist ${node.id} has no default`);
      }
      const exits = possibleExits(node, answers, quorum, this.read);
      if (exits === null || exits.length !== 1) {
        const failed = this.failed.get(first);
        throw new NeedFact(first, failed ? failed.derivableFrom : [], exits);
      }
      return [exits[0], { answers, quorum, early: true }];
    }

    answer(fact) {
      if (this.known.has(fact)) return this.known.get(fact);
      const plan = this.plan.facts.get(fact);
      if ((!this.outer && !plan.derive && plan.$default === null) || this.failed.has(fact)) {
        return OPEN;
      }
      try {
        return this.resolve(fact);
      } catch (e) {
        if (e instanceof NeedFact) return OPEN;
        throw e;
      }
    }

    call(node) {
      const callee = this.plan.callees.get(node.id);
      const shared = callee.params;
      const overrides = new Map();
      for (const [k, v] of this.params) {
        if (shared.has(k) && this.plan.ownNames.has(k)) overrides.set(k, v);
      }
      for (const [k, v] of this.overrides) if (shared.has(k)) overrides.set(k, v);
      const params = new Map([...callee.defaults, ...overrides]);
      const sub = new Run(callee, this.facts, overrides, params, this).walk();
      this.subs.set(node.id, sub);
      if (!sub.outcome) {
        throw new NeedFact(sub.missing.fact, sub.missing.derivable_from, null, sub.missing);
      }
      const reached = sub.outcome.id;
      for (const [index, exit] of node.exits.entries()) {
        if (handles(node, exit, reached)) return [index, sub];
      }
      throw new Error(`call ${node.id} has no exit for ${reached}`);
    }
  }

  function handles(node, exit, outcome) {
    if (exit.kind === "default") {
      return node.exits.every((b) => b.kind === "default" || b.$value !== outcome);
    }
    return exit.$value === outcome;
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

  // --- deciding ----------------------------------------------------------------------
  // A value as the page or a test hands it over, typed by its declaration: an integer is
  // BigInt (a JS number or {"$int": "123"} is read as one), a number stays a double unless
  // given as {"$int": ...}.
  function coerce(decl, value, name) {
    if (value !== null && typeof value === "object" && "$int" in value) {
      value = BigInt(value.$int);
    }
    const type = decl.type;
    const wrong = () => new InputError(`'${name}' must be ${type}, got ${String(value)}`);
    if (type === "boolean") { if (typeof value !== "boolean") throw wrong(); return value; }
    if (type === "integer") {
      if (isInt(value)) return value;
      if (isFloat(value) && Number.isInteger(value)) return BigInt(value);
      throw wrong();
    }
    if (type === "number") {
      if (isNum(value) && typeof value !== "boolean") return value;
      throw wrong();
    }
    if (typeof value !== "string") throw wrong();
    if (type === "enum" && decl.values && decl.values.length && !decl.values.includes(value)) {
      throw new InputError(`'${name}' must be one of ${decl.values.join(", ")}, got ${value}`);
    }
    return value;
  }

  function typedEntries(declared, given, kind) {
    const out = new Map();
    for (const [name, value] of given instanceof Map ? given : Object.entries(given || {})) {
      if (!declared.has(name)) throw new InputError(`unknown ${kind} '${name}'`);
      out.set(name, coerce(declared.get(name), value, name));
    }
    return out;
  }

  function run(plan, facts, overrides) {
    const checkedFacts = typedEntries(plan.facts, facts, "fact");
    const checkedParams = typedEntries(plan.params, overrides, "param");
    const params = new Map([...plan.defaults, ...checkedParams]);
    return new Run(plan, checkedFacts, checkedParams, params, null).walk();
  }

  // The decision as plain JSON: what the differential test compares with `decide`.
  function decide(plan, facts, overrides) {
    let r;
    try {
      r = run(plan, facts, overrides);
    } catch (e) {
      if (e instanceof EvaluationError || e instanceof InputError) {
        return { status: "error", error: e.message };
      }
      throw e;
    }
    return {
      status: r.status,
      outcome: r.outcome ? r.outcome.id : null,
      path: r.path,
      actions: r.actions,
      missing: r.missing && { fact: r.missing.fact, node: r.missing.node,
        derivable_from: r.missing.derivable_from, via: r.missing.via,
        question: r.missing.question },
    };
  }

  // Text to a typed value by the declared type (engine/inputs.py text_to_value); null
  // when the text does not read as one.
  const BOOLEAN_WORDS = { true: true, yes: true, y: true, 1: true,
    false: false, no: false, n: false, 0: false };
  const INTEGER_TEXT = /^[+-]?[0-9]+$/;
  const NUMBER_TEXT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  function textToValue(decl, raw) {
    const text = String(raw).trim();
    switch (decl.type) {
      case "boolean": {
        const key = String(raw).toLowerCase();
        return Object.prototype.hasOwnProperty.call(BOOLEAN_WORDS, key)
          ? BOOLEAN_WORDS[key] : null;
      }
      case "integer": return INTEGER_TEXT.test(text) ? BigInt(text) : null;
      case "number": {
        if (!NUMBER_TEXT.test(text)) return null;
        const number = parseFloat(text);
        if (!Number.isFinite(number)) return null;
        return Number.isInteger(number) && !text.includes(".") ? BigInt(Math.trunc(number))
          : number;
      }
      case "enum":
        return decl.values.includes(raw) ? raw : null;
      default: return String(raw);
    }
  }

  // A value as JSON with its Python type, for the tests: {"t": "int", "v": "7"}.
  function typedJson(v) {
    if (isInt(v)) return { t: "int", v: v.toString() };
    if (isFloat(v)) return { t: "float", v: floatRepr(v) };
    if (typeof v === "boolean") return { t: "bool", v };
    if (Array.isArray(v)) return { t: "list", v: v.map(typedJson) };
    return { t: "str", v };
  }

  function untag(v) {
    return v !== null && typeof v === "object" && "$int" in v ? BigInt(v.$int) : v;
  }

  // One expression (a JSON syntax tree) over the given names, for the operator tests.
  function evaluateJson(expression, names) {
    const values = new Map(Object.entries(names || {}).map(([k, v]) => [k, untag(v)]));
    try {
      return typedJson(evaluate(expression, (name) => values.get(name), null));
    } catch (e) {
      if (e instanceof PyError) return { t: "error", v: e.message };
      throw e;
    }
  }

  return { loadPlan, evaluateJson, run, decide, evaluate, showValue, floatRepr, fill, typed, textToValue,
    coerce, EvaluationError, InputError, PyError, NeedFact, DEFAULT, OUTER };
})();
