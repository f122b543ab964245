"""The sandbox every theme template runs in: a template reads the variables it is given and nothing else.

A theme override may be copied from anyone, so no template reaches an
attribute starting with "_", the internals of functions, frames, generators
or types, or a method that changes data (Jinja's SandboxedEnvironment). Two
things make it cheaper without letting more through: whether an attribute of a
kind of object is safe is decided once, and the functions this tool gives
every template (url, gettext) are called without the checks of each call.
"""

from __future__ import annotations

from typing import Any, Callable

import jinja2
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import internalcode

try:  # how Jinja 3.1 marks what a function is passed first (the context, ...)
    from jinja2.utils import _PassArg
except ImportError:  # another Jinja: every call takes the sandbox's own way
    _PassArg = None


_MISSING = object()


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, deciding once per kind of object and attribute name whether reading it is safe.

    The sandbox's rule (no name starting with "_", none of the internals of
    functions, frames, generators or types) depends on nothing else, and asking
    it for each of the hundred attributes a page reads was a third of the time
    spent rendering the site. The thirty calls a page makes of url(), _() and its
    macros were another tenth: `own` names the functions that skip the checks.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}
        # id -> one of the tool's own functions (see own), and what Jinja passes it first
        self._own: dict[int, tuple[Callable[..., Any], _PassArg | None]] = {}
        # When a set: the name of every template looked up while rendering (the page's own,
        # the layout it extends, what it includes or imports, computed names as they came out,
        # and the candidates of a list that were not there). A page's key covers them.
        self.loaded: set[str] | None = None

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        # The one way in for get_template and select_template (Jinja 3.1).
        if self.loaded is not None:
            self.loaded.add(name)
        return super()._load_template(name, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The common case in a few steps: a plain value that the rule allows.
        # Anything else (a method, a missing or refused attribute) takes the sandbox's own way.
        if self._safe.get((type(obj), attribute)) and not callable(value := getattr(obj, attribute, _MISSING)) \
                and value is not _MISSING:
            return value
        return super().getattr(obj, attribute)

    def own(self, **functions: Callable[..., Any]) -> None:
        """Make each function a global of every template: functions this tool wrote (url, gettext).

        A template calls them without the sandbox's checks of each call (they are
        safe by construction, and a page calls them dozens of times); every other
        callable a template reaches goes through the sandbox as before.
        """
        for name, function in functions.items():
            previous = self.globals.get(name)
            if previous is not None:
                self._own.pop(id(previous), None)
            self.globals[name] = function
            if _PassArg is not None:
                self._own[id(function)] = (function, _PassArg.from_obj(function))

    @internalcode
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        # The tool's own functions and the template's own macros (which cannot carry the markers that
        # make a callable unsafe) are called as jinja2.runtime.Context.call calls them, in fewer steps.
        own = __self._own.get(id(__obj))
        if own is not None and own[0] is __obj:
            how = own[1]
        elif type(__obj) is Macro and _MACRO_CALL is not None:
            how = _MACRO_CALL
        else:
            return super().call(__context, __obj, *args, **kwargs)
        if kwargs:
            loop_vars = kwargs.pop("_loop_vars", None)
            block_vars = kwargs.pop("_block_vars", None)
            if how is _PassArg.context:  # what a loop or block set is seen, without changing the context
                if loop_vars:
                    __context = __context.derived(loop_vars)
                if block_vars:
                    __context = __context.derived(block_vars)
        if how is _PassArg.context:
            args = (__context, *args)
        elif how is _PassArg.eval_context:
            args = (__context.eval_ctx, *args)
        elif how is _PassArg.environment:
            args = (__context.environment, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __context.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


# What a macro is called with (Jinja 3.1: the eval context); None: macros take the sandbox's way.
_MACRO_CALL = _PassArg.from_obj(Macro.__call__) if _PassArg is not None else None
