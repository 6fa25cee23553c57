"""DoWhy's four calls on causeway: model, identify, estimate, refute.

``CausalModel(...).identify_effect()`` runs ``causeway identify``, ``estimate_effect`` runs
``causeway estimate`` and ``refute_estimate`` runs ``causeway refute`` on the model's DataFrame,
so their numbers are the command line's on the same data.
"""
import os
import tempfile

from ._engine import CausewayError, names, one_name, run, run_json, warn_all

# DoWhy's method names and causeway's.
METHODS = {
    "backdoor.linear_regression": "regression",
    "backdoor.propensity_score_matching": "matching",
    "backdoor.propensity_score_stratification": "stratification",
    "backdoor.propensity_score_weighting": "ipw",
    "backdoor.aipw": "aipw",
    "frontdoor.two_stage_regression": "frontdoor",
    "iv.instrumental_variable": "iv",
    "naive": "naive",
}

# method_params keys and the options they set; a value of True for a flag sets it.
METHOD_PARAMS = {
    "k": "--k", "replace": "--replace", "caliper": "--caliper", "num_strata": "--strata",
    "strata": "--strata", "trim": "--trim", "folds": "--folds", "repeats": "--repeats",
    "bootstrap": "--bootstrap", "num_simulations": "--bootstrap", "random_seed": "--seed",
    "seed": "--seed", "propensity_l2": "--propensity-l2", "n_jobs": "--threads",
    "distance": "--distance", "caliper_scale": "--caliper-scale", "neighbour": "--neighbour",
}

# DoWhy's refuter names and causeway's.
REFUTERS = {
    "random_common_cause": "random-common-cause",
    "placebo_treatment_refuter": "placebo",
    "data_subset_refuter": "subset",
    "bootstrap_refuter": "bootstrap",
    "dummy_outcome_refuter": "dummy-outcome",
    "add_unobserved_common_cause": "unobserved-common-cause",
}

REFUTER_PARAMS = {
    "num_simulations": "--simulations", "subset_fraction": "--subset-fraction",
    "random_seed": "--seed", "effect_strength_on_treatment": "--confounder-strength-treatment",
    "effect_strength_on_outcome": "--confounder-strength-outcome", "n_jobs": "--threads",
}
# Arguments DoWhy users pass that ask for what causeway does anyway.
REFUTER_DEFAULTS = {
    "placebo_type": {"permute"},
    "confounders_effect_on_treatment": {"binary_flip", "linear"},
    "confounders_effect_on_outcome": {"linear"},
}


# Stands for the file the graph text is written to for a run.
GRAPH_TEXT = "\0graph-text"

# Options that are switches: True (or 1) sets them, False (or 0) leaves them off.
FLAGS = {"--replace"}


def _refuse(kind, name, known):
    raise CausewayError(f"{kind} '{name}' is not supported; supported: {', '.join(sorted(known))}")


def _options(params, table, kind):
    if params is None:
        return []
    if not isinstance(params, dict):
        raise CausewayError(f"{kind}s: give a dict such as {{'k': 2}}, not {params!r}")
    args = []
    for key, value in params.items():
        if key not in table:
            _refuse(kind, key, table)
        option = table[key]
        if option in FLAGS:
            if value not in (True, False, 0, 1):
                raise CausewayError(f"{key} is True or False, not {value!r}")
            args += [option] if value else []
            continue
        if value is None:
            continue
        if isinstance(value, bool):
            raise CausewayError(f"{key} takes a value, not {value!r}")
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        args += [option, value]
    return args


def _spelling(*tables):
    """The command line's option names in messages, as the Python call spells them."""
    said = {"--target": "target_units", "--method": "method_name"}
    for table, form in tables:
        for key, option in table.items():
            said.setdefault(option, form.format(key))
    return dict(sorted(said.items(), key=lambda item: -len(item[0])))


class IdentifiedEstimand:
    """What ``causeway identify`` decided: ``str()`` is its printout, ``to_dict()`` its JSON."""

    def __init__(self, text, data):
        self._text, self._data = text, data

    def __str__(self):
        return self._text

    def to_dict(self):
        return self._data

    @property
    def identifiable(self):
        return bool(self._data.get("identifiable"))


class CausalEstimate:
    """One estimate: ``value``, its standard error and 95 % interval, and the whole run. The
    report's warnings are issued as CausewayWarning and kept in ``warnings``."""

    def __init__(self, report, model, args):
        self._report, self._model, self._args = report, model, args
        self._estimate = report["estimates"][0]
        self.warnings = warn_all(list(report.get("warnings", [])) +
                                 list(self._estimate.get("warnings", [])), _spelling())
        self.value = self._estimate["estimate"]
        self.method = self._estimate["method"]
        self.target_units = self._estimate.get("target")

    def get_standard_error(self):
        return self._estimate["se"]

    def get_confidence_intervals(self):
        return (self._estimate["ci_low"], self._estimate["ci_high"])

    def to_dict(self):
        return self._report

    def report(self, path):
        """Writes the same self-contained HTML report as ``causeway estimate --report``."""
        self._model._run(self._args + ["--report", os.fspath(path)], as_json=False)

    def __str__(self):
        low, high = self.get_confidence_intervals()
        lines = [f"{self.method} ({self.target_units}): {self.value:.6g}, "
                 f"95 % interval [{low:.6g}, {high:.6g}]"]
        return "\n".join(lines + [f"warning: {w}" for w in self.warnings])


class CausalRefutation:
    """The refutations of one estimate, with causeway's verdict."""

    def __init__(self, report, model=None, args=None):
        self._report, self._model, self._args = report, model, args
        self.refutations = report.get("refutations", [])
        self.verdict = report.get("verdict")
        first = self.refutations[0] if self.refutations else {}
        self.refutation_type = first.get("name")
        self.estimated_effect = report.get("estimate", {}).get("estimate")
        self.new_effect = first.get("new_effect")
        self.refutation_result = first
        self.warnings = warn_all(report.get("warnings", []), _spelling())

    def to_dict(self):
        return self._report

    def report(self, path):
        """Writes the same self-contained HTML report as ``causeway refute --report``."""
        self._model._run(self._args + ["--report", os.fspath(path)], as_json=False)

    def __str__(self):
        lines = [f"estimated effect: {self.estimated_effect}"]
        for r in self.refutations:
            p = f", {r['p_text']}" if r.get("p_text") else ""
            lines.append(f"{r.get('name')}: new effect {r.get('new_effect')}{p}: "
                         f"{r.get('verdict', '')}; {r.get('reason', '')}")
        return "\n".join(lines + [f"verdict: {self.verdict}"])


class CausalModel:
    """DoWhy's ``CausalModel``: the data, the treatment and outcome, and the assumptions as common
    causes, instruments and effect modifiers, or as a graph (DOT or GML text, or a file)."""

    def __init__(self, data, treatment, outcome, common_causes=None, graph=None,
                 instruments=None, effect_modifiers=None, drop_missing=False, **kwargs):
        if kwargs:
            _refuse("CausalModel argument", sorted(kwargs)[0],
                    ["data", "treatment", "outcome", "common_causes", "graph", "instruments",
                     "effect_modifiers", "drop_missing"])
        self._data = data
        self.drop_missing = bool(drop_missing)
        self.treatment = one_name(treatment, "treatment")
        self.outcome = one_name(outcome, "outcome")
        self.common_causes = names(common_causes, "common_causes")
        self.instruments = names(instruments, "instruments")
        self.effect_modifiers = names(effect_modifiers, "effect_modifiers")
        # A graph is a file path, or its text, kept here and written to a file for each run.
        self._graph_file = self._graph_text = None
        if graph is not None:
            if self.common_causes or self.instruments:
                raise CausewayError("give either graph or common_causes/instruments, not both")
            self._graph_file, self._graph_text = self._graph_source(graph)

    @property
    def _has_graph(self):
        return self._graph_file is not None or self._graph_text is not None

    @staticmethod
    def _graph_source(graph):
        """(path, None) for a graph file, (None, text) for a graph's text."""
        if isinstance(graph, os.PathLike) or (isinstance(graph, str) and os.path.isfile(graph)):
            path = os.fspath(graph)
            if not os.path.isfile(path):
                raise CausewayError(f"graph file '{path}' does not exist (or is not a file); "
                                    "give a DOT or GML file, or the graph's text")
            return path, None
        if not isinstance(graph, str):
            raise CausewayError(f"graph: give DOT or GML text or a file path, not "
                                f"{type(graph).__name__}")
        if "{" not in graph and "[" not in graph:
            raise CausewayError(f"graph file '{graph}' does not exist (or is not a file); "
                                "give a DOT or GML file, or the graph's text")
        return None, graph.strip()

    def _run(self, args, as_json=True, spelling=None):
        """Runs a command on the model's data, the graph text (if any) in a file for the run;
        messages name the graph text, not that file."""
        spelling = spelling or _spelling()
        if self._graph_text is None:
            return (run_json if as_json else run)(args, self._data, spelling)
        first = self._graph_text.split("\n")[0]
        suffix = ".gml" if self._graph_text.startswith("graph") and "[" in first else ".dot"
        with tempfile.TemporaryDirectory(prefix="causeway-graph-") as folder:
            path = os.path.join(folder, "graph" + suffix)
            with open(path, "w") as handle:
                handle.write(self._graph_text)
            args = [path if a == GRAPH_TEXT else a for a in args]
            try:
                return (run_json if as_json else run)(args, self._data, spelling)
            except CausewayError as e:
                raise CausewayError(str(e).replace(path, "the graph text"), e.exit_code,
                                    e.output) from None

    def _roles(self):
        args = ["--treatment", self.treatment, "--outcome", self.outcome]
        if self.drop_missing:
            args.append("--drop-missing")
        if self._has_graph:
            return args + ["--graph", self._graph_file or GRAPH_TEXT]
        if self.common_causes:
            args += ["--common-causes", ",".join(self.common_causes)]
        return args

    def identify_effect(self, proceed_when_unidentifiable=False, **kwargs):
        if kwargs:
            _refuse("identify_effect argument", sorted(kwargs)[0], ["proceed_when_unidentifiable"])
        args = ["identify", "DataFrame"] + self._roles()
        if not self._has_graph:
            if self.instruments:
                args += ["--instruments", ",".join(self.instruments)]
            if self.effect_modifiers:
                args += ["--effect-modifiers", ",".join(self.effect_modifiers)]
        args = [a for a in args if a != "--drop-missing"]  # identify reads no rows
        self._proceed = proceed_when_unidentifiable
        try:
            text = self._run(args, as_json=False)
            data = self._run(args)
        except CausewayError as e:
            # The command prints why before it fails; DoWhy's flag goes on with that printout.
            if not (proceed_when_unidentifiable and e.output):
                raise
            text = e.output
            data = {"identifiable": False, "reason": str(e)}
        return IdentifiedEstimand(text, data)

    def estimate_effect(self, identified_estimand=None, method_name="backdoor.aipw",
                        target_units="ate", method_params=None, control_value=None,
                        treatment_value=None, confidence_intervals=True, **kwargs):
        for key in kwargs:
            if key not in ("test_significance", "evaluate_effect_strength"):
                _refuse("estimate_effect argument", key,
                        ["method_name", "target_units", "method_params", "control_value",
                         "treatment_value", "confidence_intervals", "test_significance"])
        if method_name not in METHODS:
            _refuse("method_name", method_name, METHODS)
        if target_units not in ("ate", "att", "atc"):
            raise CausewayError(f"target_units must be ate, att or atc, not {target_units!r}")
        method = METHODS[method_name]
        args = ["estimate", "DataFrame"] + self._roles()
        if method == "iv" and not self._has_graph:
            if not self.instruments:
                raise CausewayError("iv.instrumental_variable needs the instruments: "
                                    "CausalModel(..., instruments=[...]) or a graph")
            args += ["--instruments", ",".join(self.instruments)]
        args += ["--method", method, "--target", target_units]
        if treatment_value is not None:
            args += ["--treated-value", treatment_value]
        if control_value is not None:
            args += ["--control-value", control_value]
        if getattr(self, "_proceed", False) and self._has_graph:
            args.append("--proceed-when-unidentifiable")
        args += _options(method_params, METHOD_PARAMS, "method_params key")
        spelling = _spelling((METHOD_PARAMS, "method_params['{}']"))
        return CausalEstimate(self._run(args, spelling=spelling), self, args)

    def refute_estimate(self, estimand, estimate, method_name, **kwargs):
        if method_name not in REFUTERS:
            _refuse("refuter", method_name, REFUTERS)
        if not isinstance(estimate, CausalEstimate):
            raise CausewayError("refute_estimate: estimate must be what estimate_effect returned, "
                                f"not {type(estimate).__name__}")
        if estimate._model is not self:
            raise CausewayError("refute_estimate: the estimate comes from another CausalModel "
                                "(other data or assumptions); refute it with that model")
        params = {}
        for key, value in kwargs.items():
            if key in REFUTER_DEFAULTS:
                if value not in REFUTER_DEFAULTS[key]:
                    raise CausewayError(f"{key}={value!r} is not supported; causeway does "
                                        f"{' or '.join(sorted(REFUTER_DEFAULTS[key]))}")
                continue
            params[key] = value
        args = [a if a != "estimate" else "refute" for a in estimate._args[:1]] + estimate._args[1:]
        args += ["--refuters", REFUTERS[method_name], "--quiet"]
        args += _options(params, REFUTER_PARAMS, "refute_estimate argument")
        spelling = _spelling((REFUTER_PARAMS, "{}"), (METHOD_PARAMS, "method_params['{}']"))
        return CausalRefutation(self._run(args, spelling=spelling), self, args)
