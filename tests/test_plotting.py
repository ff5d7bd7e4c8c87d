"Every plot renders to a non-empty PNG with the non-interactive Agg backend, and returns its Axes."
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image
from gmm_literate import GaussianMixture, load_faithful, make_mixture, select_model
from gmm_literate.plotting import (plot_mixture, plot_em_story, em_snapshots, plot_lower_bound, plot_criteria,
                                   plot_density, plot_uncertainty, animate_em)

X = load_faithful()
GM = GaussianMixture(2, random_state=0).fit(X)

def _png(fig, path):
    fig.savefig(path)
    plt.close(fig)
    data = path.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 2000
    with Image.open(path) as im:                     # not a blank canvas: more than one colour drawn
        assert len(im.convert('RGB').getcolors(maxcolors=1 << 20) or [0, 0]) > 10

@pytest.mark.parametrize('ct', ['full', 'tied', 'diag', 'spherical'])
def test_mixture_plot(tmp_path, ct):
    ax = plot_mixture(GaussianMixture(2, covariance_type=ct, random_state=0).fit(X), X)
    assert isinstance(ax, plt.Axes) and len(ax.patches) == 4
    _png(ax.figure, tmp_path / 'm.png')

def test_em_story_and_animation(tmp_path):
    Xs = load_faithful(standardize=True)
    snaps = em_snapshots(Xs, np.array([0.5, 0.5]), np.array([[-1.5, 1.5], [1.5, -1.5]]), np.stack([np.eye(2)] * 2), max_iter=8)
    axes = plot_em_story(Xs, snaps, iterations=(0, 1, 2, -1))
    assert axes.size == 6 and sum(ax.get_visible() for ax in axes.flat) == 4
    _png(axes.flat[0].figure, tmp_path / 'story.png')
    path = animate_em(Xs, snaps[:4], str(tmp_path / 'em.gif'))
    with Image.open(path) as im: assert im.n_frames == 4

def test_lower_bound_density_uncertainty(tmp_path):
    for i, f in enumerate((lambda: plot_lower_bound(GM), lambda: plot_density(GM, X), lambda: plot_uncertainty(GM, X))):
        ax = f()
        assert isinstance(ax, plt.Axes)
        _png(ax.figure, tmp_path / f'p{i}.png')

def test_criteria_plot(tmp_path):
    sel = select_model(X, range(1, 4), ['full', 'diag'], random_state=0)
    ax = plot_criteria(sel.table, 'aic')
    assert len(ax.lines) == 3                                   # two types and the star
    _png(ax.figure, tmp_path / 'c.png')

def test_higher_dimensions_draw_a_chosen_pair(tmp_path):
    m = make_mixture(300, 5, 3, random_state=0)
    g = GaussianMixture(3, random_state=0).fit(m.X)
    ax = plot_mixture(g, m.X, features=(2, 4))
    assert ax.get_xlabel() == 'feature 2'
    _png(ax.figure, tmp_path / 'pair.png')
