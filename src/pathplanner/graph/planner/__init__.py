"""The exact planner: cheapest and fastest routes to a goal, the Pareto front, explanations.

Pure Python over two solvers: HiGHS (``highspy``) for the cost MILPs and OR-Tools CP-SAT for
schedules (the fastest plan, the trade-off front); see docs/planning.md.
"""

from pathplanner.graph.planner.pareto import pareto_front
from pathplanner.graph.planner.solve import plan
from pathplanner.graph.planner.types import (
    Plan,
    PlanningCancelled,
    PlanningError,
    PlanRequest,
    PlanStep,
)

__all__ = [
    "Plan",
    "PlanRequest",
    "PlanStep",
    "PlanningCancelled",
    "PlanningError",
    "pareto_front",
    "plan",
]
