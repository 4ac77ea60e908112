// gatetree's walker for the browser guide: reads the JSON plan `gatetree guide` embeds
// (engine/plan_json.py) and decides as engine/walk.py does, node by node, with derived facts,
// defaults, checklists and called trees, partial facts read three-valued (python.js's
// `partial`) and the outcomes still reachable when it stops; `decide` gives what the
// differential test compares with the engine's `decide`.
"use strict";

const GT = (() => {
  const { PyError, isInt, isFloat, isNum, typed, truthy, RAW, evaluate, UNKNOWN, partial,
    floatRepr, showValue, fill, textToValue, evaluateJson } = GTPython;
  const { effectiveQuorum, scope, possibleExits } = GTBounds;

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
    plan.outcomesBelow = outcomesBelow(plan);
    return plan;
  }

  // The outcomes below each node, in the tree's order of nodes (engine/graph.py).
  function outcomesBelow(plan) {
    const sets = new Map();
    const below = (id) => {
      if (!sets.has(id)) {
        const node = plan.nodes.get(id);
        const found = new Set(node.kind === "outcome" ? [id] : []);
        sets.set(id, found);
        for (const exit of node.exits || []) {
          if (plan.nodes.has(exit.next)) for (const o of below(exit.next)) found.add(o);
        }
      }
      return sets.get(id);
    };
    return new Map(plan.order.map((id) => [id, plan.order.filter((o) => below(id).has(o))]));
  }

  // --- the walk (engine/walk.py) -----------------------------------------------------
  const DEFAULT = "default", OUTER = "outer", OPEN = Symbol("open");

  function same(value, expected) {
    if (typeof value === "boolean" || typeof expected === "boolean") return value === expected;
    if (typeof value === "string" || typeof expected === "string") return value === expected;
    return isNum(value) && isNum(expected) && value == expected;  // eslint-disable-line eqeqeq
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
      this.reachable = [];
      this.settled = new Map();  // what settled past an unknown: by fact, by "node#exit"
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
        let value;
        try {
          value = evaluate(fact.derive, this.read, null);
        } catch (e) {
          if (e instanceof NeedFact) {  // some fact is unknown: do the known ones settle it?
            try {
              value = this.partiallyDerived(name, fact);
            } finally {
              this.reads = saved;
            }
          } else {
            this.reads = saved;
            if (e instanceof PyError) throw this.failure(fact.derive_text, e);
            throw e;
          }
        }
        this.reads = saved;
        if (value !== UNKNOWN) {
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

    // A derivation three-valued: its value, or UNKNOWN when the fact has a default to fall
    // back on; NeedFact (the unknowns that matter, as their leaves) when it has none.
    partiallyDerived(name, fact) {
      const found = this.partially(fact.derive, fact.derive_text);
      if (found.settledBy !== null) this.settled.set(name, found.settledBy);
      if (found.value === UNKNOWN && fact.$default === null) {
        const need = new NeedFact(name, leaves(found.needs));
        this.failed.set(name, need);
        throw need;
      }
      return found.value;
    }

    partially(expression, text) {
      try {
        return partial(expression, this.read, null, NeedFact);
      } catch (e) {
        if (e instanceof PyError) throw this.failure(text, e);
        throw e;
      }
    }

    failure(text, e) {
      return new EvaluationError(`cannot evaluate ${JSON.stringify(text)}: ${e.message}`);
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
      this.reachable = this.stillReachable(node, need.exits);
    }

    // Outcomes reachable from a stuck node, following known answers below it.
    stillReachable(stuck, exits) {
      const nodes = this.plan.nodes, below = this.plan.outcomesBelow;
      const found = new Set(), seen = new Set();
      const stack = stuck.exits.filter((e, i) => exits === null || exits.includes(i))
        .map((e) => e.next);
      while (stack.length) {
        const nodeId = stack.pop();
        if (seen.has(nodeId)) continue;
        seen.add(nodeId);
        const node = nodes.get(nodeId);
        if (node.kind === "outcome") {
          found.add(nodeId);
          continue;
        }
        if (below.get(nodeId).every((o) => found.has(o))) continue;  // nothing new below
        this.reads = [];
        let index;
        try {
          if (node.kind === "gate") index = this.gate(node);
          else if (node.kind === "checklist") index = this.checklist(node)[0];
          else index = this.call(node)[0];
        } catch (e) {
          if (!(e instanceof NeedFact)) throw e;
          node.exits.forEach((exit, i) => {
            if (e.exits === null || e.exits.includes(i)) stack.push(exit.next);
          });
          continue;
        }
        stack.push(node.exits[index].next);
      }
      return below.get(stuck.id).filter((o) => found.has(o));
    }

    gate(node) {
      const value = node.fact ? this.read(node.fact) : undefined;
      for (const [index, exit] of node.exits.entries()) {
        if (exit.kind === "when") {
          if (same(value, exit.$value)) return index;
        } else if (exit.kind === "if") {
          let holds;
          try {
            holds = evaluate(exit.condition, this.read, null);
          } catch (e) {
            if (e instanceof PyError) throw this.failure(exit.condition_text, e);
            if (!(e instanceof NeedFact)) throw e;
            holds = this.truth(node, index, exit);
            if (holds === UNKNOWN) {
              const [first] = this.partially(exit.condition, exit.condition_text).needs;
              throw new NeedFact(first.fact, first.derivableFrom,
                this.openExits(node, index, value));
            }
          }
          if (truthy(holds)) return index;
        } else {
          return index;
        }
      }
      throw new Error(`gate ${node.id} has no exit for ${value}`);
    }

    // The exits a gate stuck at exit `stuck` may still take: that one, and each after it
    // whose condition is not known to fail, up to one known to hold.
    openExits(node, stuck, value) {
      const possible = [stuck];
      for (const [index, exit] of node.exits.entries()) {
        if (index <= stuck) continue;
        let holds;
        if (exit.kind === "when") {
          holds = same(value, exit.$value);
        } else if (exit.kind === "if") {
          try {
            holds = this.condition(node, index, exit);
          } catch (e) {
            if (!(e instanceof EvaluationError)) throw e;
            holds = UNKNOWN;  // it may not fail once the facts are known
          }
        } else {
          holds = true;
        }
        if (holds === UNKNOWN || truthy(holds)) possible.push(index);
        if (holds !== UNKNOWN && truthy(holds)) break;
      }
      return possible;
    }

    // Whether a gate's condition holds: plain first; three-valued when it reads an unknown.
    condition(node, index, exit) {
      try {
        return this.holds(exit, null);
      } catch (e) {
        if (!(e instanceof NeedFact)) throw e;
        return this.truth(node, index, exit);
      }
    }

    // A condition three-valued, recording the operand that settled it.
    truth(node, index, exit) {
      const found = this.partially(exit.condition, exit.condition_text);
      if (found.settledBy !== null) this.settled.set(`${node.id}#${index}`, found.settledBy);
      return found.value;
    }

    holds(exit, own) {
      try {
        return evaluate(exit.condition, this.read, own);
      } catch (e) {
        if (e instanceof PyError) throw this.failure(exit.condition_text, e);
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
        const exits = [];
        node.exits.forEach((exit, i) => {
          if (sub.reachable.some((o) => handles(node, exit, o))) exits.push(i);
        });
        throw new NeedFact(sub.missing.fact, sub.missing.derivable_from, exits, sub.missing);
      }
      const reached = sub.outcome.id;
      for (const [index, exit] of node.exits.entries()) {
        if (handles(node, exit, reached)) return [index, sub];
      }
      throw new Error(`call ${node.id} has no exit for ${reached}`);
    }
  }

  // The facts to give for some unknowns, in their order: a derived one's own inputs.
  function leaves(needs) {
    const found = [];
    for (const need of needs) {
      for (const n of (need.derivableFrom.length ? need.derivableFrom : [need.fact])) {
        if (!found.includes(n)) found.push(n);
      }
    }
    return found;
  }

  function handles(node, exit, outcome) {
    if (exit.kind === "default") {
      return node.exits.every((b) => b.kind === "default" || b.$value !== outcome);
    }
    return exit.$value === outcome;
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

  // What settled a gate's condition or a value the gate read past an unknown fact, in the
  // order of the steps: [node, fact or null, the operand's text].
  function settledBy(r) {
    const found = [];
    for (const step of r.steps) {
      if (r.plan.nodes.get(step.node).kind !== "gate") continue;
      const key = `${step.node}#${step.exit}`;
      if (r.settled.has(key)) found.push([step.node, null, r.settled.get(key)]);
      for (const name of step.reads) {
        if (r.settled.has(name)) found.push([step.node, name, r.settled.get(name)]);
      }
    }
    return found;
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
      reachable: r.outcome ? [r.outcome.id] : r.reachable,
      settled_by: settledBy(r),
      missing: r.missing && { fact: r.missing.fact, node: r.missing.node,
        derivable_from: r.missing.derivable_from, via: r.missing.via,
        question: r.missing.question },
    };
  }
  return { loadPlan, evaluateJson, run, decide, evaluate, showValue, floatRepr, fill, typed,
    textToValue, coerce, EvaluationError, InputError, PyError, NeedFact, DEFAULT, OUTER };
})();
