"Gaussian mixture models fitted by EM, derived step by step in literate notebooks."
__version__ = "0.1.0"

__all__ = ['GaussianMixture', 'NotFittedError', 'ConvergenceWarning', 'load_faithful', 'make_mixture', 'select_model',
           'Selection']

from .datasets import load_faithful, make_mixture
from .selection import select_model, Selection
from .mixture import GaussianMixture, NotFittedError, ConvergenceWarning
