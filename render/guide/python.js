// Python's semantics for the browser guide's walker: values keep Python's types (int is
// BigInt, float is Number), so `//`, `%`, `/`, round(), min/max and comparisons behave as in
// Python, and each expression (a JSON syntax tree of the whitelisted subset, made by
// engine/plan_json.py) is interpreted here; no tree text is ever run as code. Arithmetic is
// bounded as engine/limits.py bounds it. Over partial facts, `partial` evaluates as
// engine/partial.py does (Kleene's three values).
"use strict";

const GTPython = (() => {
  const MAX_DIGITS = 1000n;
  const INT_BOUND = 10n ** MAX_DIGITS;
  const MAX_STRING = 1000000;

  class PyError extends Error {}      // an ArithmeticError / ValueError / TypeError

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

  // --- three-valued evaluation over partial facts (engine/partial.py) -----------------
  // Unknown is a third truth value: `and` is false once one operand is, `or` true once one
  // is, wherever the unknown stands; `a if c else b` is known when c and the chosen side
  // are. `read` throws `Need` (the walker's NeedFact) for an unknown name; the result's
  // `needs` are those that still matter, in reading order, one per fact.
  const UNKNOWN = Symbol("unknown");
  class Pending {  // an operand that failed after an unknown one: fails only if unsettled
    constructor(error) { this.error = error; }
  }
  const isOpen = (v) => v === UNKNOWN || v instanceof Pending;

  // `settledBy` is the text of the operand that settled an and/or past an unknown one.
  function partial(node, read, own, Need) {
    const settled = { by: null };
    const [value, found] = partialValue(node, read, own, Need, settled);
    if (value instanceof Pending) throw value.error;
    if (value !== UNKNOWN) return { value, needs: [], settledBy: settled.by };
    const needs = new Map();
    for (const need of found) if (!needs.has(need.fact)) needs.set(need.fact, need);
    return { value: UNKNOWN, needs: [...needs.values()], settledBy: null };
  }

  function partialValue(node, read, own, Need, settled) {
    const value = (n) => partialValue(n, read, own, Need, settled);
    switch (node.k) {
      case "const": return [constant(node), []];
      case "name":
        if (own && own.has(node.id)) return [own.get(node.id), []];
        try {
          return [read(node.id), []];
        } catch (e) {
          if (e instanceof Need) return [UNKNOWN, [e]];
          throw e;
        }
      case "and": case "or": return partialBool(node, value, settled);
      case "not": case "neg": case "pos": {
        const [operand, needs] = value(node.x);
        if (isOpen(operand)) return [operand, needs];
        if (node.k === "not") return [!truthy(operand), []];
        return [node.k === "neg" ? -operand : operand, []];
      }
      case "if": {
        const [test, needs] = value(node.test);
        if (isOpen(test)) return [test, needs];
        return value(truthy(test) ? node.body : node.else);
      }
      case "cmp": {
        let [left, needs] = value(node.l);
        let unknown = false;
        for (let i = 0; i < node.ops.length; i++) {
          const [right, found] = value(node.rs[i]);
          if (isOpen(left) || isOpen(right)) {
            unknown = true;
            needs = [...needs, ...found];
          } else if (!compare(node.ops[i], left, right)) {
            return [false, []];
          }
          left = right;
        }
        return unknown ? [UNKNOWN, needs] : [true, []];
      }
      case "bin": case "call": {
        const args = [], needs = [];
        for (const argument of node.k === "bin" ? [node.l, node.r] : node.args) {
          const [v, found] = value(argument);
          args.push(v);
          needs.push(...found);
        }
        if (args.some(isOpen)) return [UNKNOWN, needs];
        if (node.k === "bin") return [binary(node.op, args[0], args[1]), []];
        if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, node.f)) {
          throw new PyError(`unknown function ${node.f}`);
        }
        return [FUNCTIONS[node.f](...args), []];
      }
      case "list": return [node.items.map((item) => value(item)[0]), []];
    }
    throw new Error("unknown expression node " + node.k);
  }

  function partialBool(node, value, settled) {
    const stop = node.k === "or";  // the truth that settles the operation
    let open = null, last;  // UNKNOWN or a Pending met so far
    const needs = [];
    for (const [i, operand] of node.values.entries()) {
      let v, found;
      try {
        [v, found] = value(operand);
      } catch (e) {
        if (!(e instanceof PyError) || open === null) throw e;  // as plain Python
        [v, found] = [new Pending(e), []];
      }
      if (isOpen(v)) {
        if (open === null || v === UNKNOWN) open = v;
        needs.push(...found);
        continue;
      }
      if (truthy(v) === stop) {
        if (open !== null) settled.by = node.src[i];
        return [v, []];
      }
      if (open === null) last = v;
    }
    if (open !== null) return [needs.length ? UNKNOWN : open, needs];
    return [last, []];
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

  // One expression (a JSON syntax tree) over the given names, for the operator tests; with
  // `unknown` (names), three-valued: {"t": "unknown", "v": [the facts that matter]} when the
  // known names do not settle it.
  class Unread { constructor(fact) { this.fact = fact; } }
  function evaluateJson(expression, names, unknown) {
    const values = new Map(Object.entries(names || {}).map(([k, v]) => [k, untag(v)]));
    try {
      if (!unknown) return typedJson(evaluate(expression, (name) => values.get(name), null));
      const read = (name) => {
        if (unknown.includes(name)) throw new Unread(name);
        return values.get(name);
      };
      const found = partial(expression, read, null, Unread);
      if (found.value === UNKNOWN) return { t: "unknown", v: found.needs.map((n) => n.fact) };
      return found.settledBy === null ? typedJson(found.value)
        : { ...typedJson(found.value), settled_by: found.settledBy };
    } catch (e) {
      if (e instanceof PyError) return { t: "error", v: e.message };
      throw e;
    }
  }

  return { MAX_DIGITS, PyError, isInt, isFloat, isNum, typed, truthy, pyEq, RAW, binary,
    compare, pyRound, pyMin, constant, evaluate, UNKNOWN, partial, floatRepr, showValue, fill, textToValue,
    evaluateJson };
})();
