"""The k-means start's fast paths (blocks, threads, the expanded distance) against plain versions.

The plain versions are written as the definitions read: distances from differences, one cumulative
sum over all rows, a Python loop over clusters. They draw the same random numbers as the fast ones,
so the chosen seeds and the labels must agree exactly, on odd shapes and in every block layout."""
import warnings
import numpy as np
import pytest
from sklearn.cluster import KMeans
import gmm_literate.initialization as init
from gmm_literate.initialization import (FewerDistinctPointsWarning, initial_responsibilities, kmeans,
                                         kmeans_plusplus, squared_distances)

def plain_distances(X, C):
    return ((np.asarray(X, dtype=float)[:, None, :] - np.asarray(C, dtype=float)[None]) ** 2).sum(-1)

def plain_kmeans_plusplus(X, K, rng, w=None, trials=None):
    X = np.asarray(X, dtype=float)
    n, w = len(X), np.ones(len(X)) if w is None else np.asarray(w, dtype=float)
    trials = trials or 2 + int(np.log(K))
    cum = np.cumsum(w)
    chosen = [int(np.searchsorted(cum, rng.random() * cum[-1], side='right'))]
    d2 = plain_distances(X, X[chosen])[:, 0]
    for _ in range(1, K):
        cum = np.cumsum(w * d2)
        if not cum[-1] > 0:
            free = np.ones(n, dtype=bool); free[chosen] = False
            if (free & (w > 0)).any(): free &= w > 0
            chosen.append(int(rng.choice(np.flatnonzero(free)))); continue
        cand = np.searchsorted(cum, rng.random(trials) * cum[-1], side='right')
        new = np.minimum(d2[:, None], plain_distances(X, X[cand]))
        best = int(np.argmin(w @ new))
        chosen.append(int(cand[best])); d2 = new[:, best]
    return np.array(chosen)

def plain_lloyd(X, C, w, max_iter=300, tol=1e-4):
    "Lloyd's iterations from centres C, for data where no cluster empties."
    X = np.asarray(X, dtype=float)
    threshold = tol * np.mean(np.var(X, axis=0))
    history = []
    for _ in range(max_iter):
        D = plain_distances(X, C)
        labels = D.argmin(1)
        history.append(float(w @ D[np.arange(len(X)), labels]))
        new = np.stack([w[labels == k] @ X[labels == k] / w[labels == k].sum() for k in range(len(C))])
        shift, C = ((new - C) ** 2).sum(), new
        if shift <= threshold: break
    D = plain_distances(X, C)
    labels = D.argmin(1)
    history.append(float(w @ D[np.arange(len(X)), labels]))
    return labels, C, history

@pytest.fixture(params=['one block', 'small blocks', 'blocks by bytes'])
def layout(request, monkeypatch):
    """Run a test with the shipped block sizes; with blocks of 7 rows (sub-blocks of 3), on 2 threads; and with
    blocks bounded by CHUNK_BYTES (200 bytes of centred rows: 12 rows for d=1, 5 for d=4), on 2 threads; the last
    two with Hamerly's bounds whatever the number of rows."""
    if request.param != 'one block':
        monkeypatch.setattr(init, 'SUB_ROWS', 3)
        monkeypatch.setattr(init, 'N_THREADS', 2)
        monkeypatch.setattr(init, 'BOUNDED_ROWS', 0)        # Hamerly's bounds on the smallest data too
    if request.param == 'small blocks': monkeypatch.setattr(init, 'CHUNK_ROWS', 7)
    if request.param == 'blocks by bytes': monkeypatch.setattr(init, 'CHUNK_BYTES', 200)
    return request.param

def test_wide_rows_make_several_blocks(monkeypatch):
    monkeypatch.setattr(init, 'CHUNK_BYTES', 8 * 101 * 4000)          # 4,000 rows of 100 features and a 1
    rows = init._Rows(np.zeros((10_000, 100)))
    assert rows.bounds == [(0, 4000), (4000, 8000), (8000, 10_000)]
    assert len(init._Rows(np.zeros((10_000, 3))).bounds) == 1         # narrow rows: CHUNK_ROWS decides

def data(n, d, K, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(K, d)) * 5
    return means[rng.integers(0, K, n)] + rng.normal(size=(n, d)) + offset

SHAPES = [(50, 1, 3), (40, 3, 1), (60, 2, 9), (5, 2, 4), (101, 4, 5), (64, 3, 4)]   # d=1, K=1, K>d, n tiny, odd n

@pytest.mark.parametrize('n,d,K', SHAPES)
@pytest.mark.parametrize('offset', [0.0, 1e8])
def test_squared_distances_match_the_definition(n, d, K, offset, layout):
    X = data(n, d, K, offset=offset)
    C = X[np.random.default_rng(1).choice(n, K, replace=False)] + 0.5
    got = squared_distances(X, C)
    assert got.shape == (n, K) and got.dtype == np.float64 and (got >= 0).all()
    np.testing.assert_allclose(got, plain_distances(X, C), rtol=1e-9, atol=1e-9 * (1 + abs(offset)) ** 0)

def test_squared_distances_of_float32_data_are_computed_in_float64():
    X = data(300, 5, 3).astype(np.float32)
    C = X[:3].astype(float) + 0.25
    np.testing.assert_allclose(squared_distances(X, C), plain_distances(X.astype(float), C), rtol=1e-12, atol=1e-12)

def test_a_point_is_at_distance_zero_from_itself_never_below():
    X = data(200, 4, 3, offset=1e6)
    assert squared_distances(X, X[:10])[np.arange(10), np.arange(10)].max() < 1e-6
    assert (squared_distances(X, X[:10]) >= 0).all()

@pytest.mark.parametrize('n,d,K', [s for s in SHAPES if s[0] > 5])
@pytest.mark.parametrize('weighted', [False, True])
def test_kmeans_plusplus_picks_what_the_definition_picks(n, d, K, weighted, layout):
    X = data(n, d, K, seed=2)
    w = np.random.default_rng(3).uniform(0.2, 3.0, n) if weighted else None
    for s in range(3):
        np.testing.assert_array_equal(kmeans_plusplus(X, K, np.random.default_rng(s), w),
                                      plain_kmeans_plusplus(X, K, np.random.default_rng(s), w))

def test_kmeans_plusplus_on_a_handful_of_points_picks_distinct_rows(layout):
    # with 5 points, two mutually nearest points are an exact tie, which rounding may break either way
    X = data(5, 2, 4, seed=2)
    for s in range(10):
        assert len(set(kmeans_plusplus(X, 4, np.random.default_rng(s)).tolist())) == 4
        assert len(set(kmeans_plusplus(X, 5, np.random.default_rng(s)).tolist())) == 5

def test_kmeans_plusplus_never_picks_a_zero_weight_point(layout):
    X = data(80, 2, 4, seed=5)
    w = (np.arange(80) % 3 == 0).astype(float)
    for s in range(10):
        assert (w[kmeans_plusplus(X, 4, np.random.default_rng(s), w)] > 0).all()

def test_kmeans_plusplus_on_duplicated_points_picks_distinct_rows(layout):
    X = np.repeat(data(3, 2, 3, seed=6), 4, axis=0)               # 3 distinct points, 12 rows
    idx = kmeans_plusplus(X, 5, np.random.default_rng(0))
    assert len(set(idx.tolist())) == 5
    np.testing.assert_array_equal(idx, plain_kmeans_plusplus(X, 5, np.random.default_rng(0)))

@pytest.mark.parametrize('n,d,K', [(50, 1, 3), (40, 3, 1), (101, 4, 5), (64, 3, 4), (300, 2, 6)])
@pytest.mark.parametrize('weighted', [False, True])
def test_lloyd_matches_the_plain_iterations(n, d, K, weighted, layout):
    X = data(n, d, K, seed=7)
    w = np.random.default_rng(8).uniform(0.2, 3.0, n) if weighted else np.ones(n)
    seeds = plain_kmeans_plusplus(X, K, np.random.default_rng(0), w)
    labels, centres, history = kmeans(X, K, np.random.default_rng(0), w if weighted else None)
    ref_labels, ref_centres, ref_history = plain_lloyd(X, X[seeds], w)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_allclose(centres, ref_centres, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(history, ref_history, rtol=1e-10)

@pytest.mark.parametrize('seed', range(4))
def test_lloyd_matches_scikit_learn_from_the_same_seeds(seed, layout):
    X = data(400, 3, 6, seed=seed)
    seeds = kmeans_plusplus(X, 6, np.random.default_rng(seed))
    labels, centres, history = kmeans(X, 6, np.random.default_rng(seed))
    ref = KMeans(6, init=X[seeds], n_init=1).fit(X)
    np.testing.assert_array_equal(labels, ref.labels_)
    assert len(history) - 1 == ref.n_iter_
    np.testing.assert_allclose(history[-1], ref.inertia_, rtol=1e-10)

def test_float32_data_give_the_float64_answer(layout):
    X = data(203, 3, 4, seed=9).astype(np.float32)
    a = kmeans(X, 4, np.random.default_rng(0))
    b = kmeans(X.astype(np.float64), 4, np.random.default_rng(0))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[1].dtype == np.float64

def test_integer_weights_act_as_repeated_rows():
    X = data(120, 2, 3, seed=10)
    counts = np.random.default_rng(11).integers(1, 4, len(X))
    w = kmeans(X, 3, np.random.default_rng(0), counts.astype(float))
    r = kmeans(np.repeat(X, counts, axis=0), 3, np.random.default_rng(0))
    np.testing.assert_allclose(np.sort(w[1], axis=0), np.sort(r[1], axis=0), rtol=1e-10)
    np.testing.assert_allclose(w[2][-1], r[2][-1], rtol=1e-10)

def test_the_same_seed_gives_the_same_answer_on_any_number_of_threads(monkeypatch):
    X = data(3000, 4, 7, seed=12)
    w = np.random.default_rng(13).uniform(0.5, 2, len(X))
    monkeypatch.setattr(init, 'CHUNK_ROWS', 250)
    monkeypatch.setattr(init, 'SUB_ROWS', 64)
    results = []
    for threads in (1, 2, 3, 1):
        monkeypatch.setattr(init, 'N_THREADS', threads)
        results.append(kmeans(X, 7, np.random.default_rng(5), w))
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], results[0][0])
        np.testing.assert_array_equal(other[1], results[0][1])
        assert other[2] == results[0][2]

def test_uncached_blocks_give_the_cached_answer(monkeypatch):
    X = data(500, 3, 4, seed=14)
    a = kmeans(X, 4, np.random.default_rng(1))
    monkeypatch.setattr(init, 'CACHE_BYTES', 0)
    monkeypatch.setattr(init, 'CHUNK_ROWS', 64)
    b = kmeans(X, 4, np.random.default_rng(1))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12)

# -- fewer distinct points than clusters (issue 12) ---------------------------------------------------
@pytest.mark.parametrize('rows,K', [([[1.0, 1.0]] * 5 + [[2.0, 2.0]] * 5, 3), ([[0.5]] * 6, 4), ([[1.0, 2.0]] * 4, 4)])
def test_every_cluster_gets_a_point_and_the_user_is_warned(rows, K, layout):
    X = np.array(rows)
    with pytest.warns(FewerDistinctPointsWarning, match=r'Number of distinct points \(\d\) found smaller than n_clusters'):
        labels, centres, _ = kmeans(X, K, np.random.default_rng(0))
    assert np.bincount(labels, minlength=K).min() >= 1
    with pytest.warns(FewerDistinctPointsWarning):
        resp = initial_responsibilities(X, K, 'kmeans', np.random.default_rng(0))
    assert (resp.sum(0) >= 1).all() and np.allclose(resp.sum(1), 1)

def test_duplicates_with_zero_weights_count_only_the_weighted_points():
    X = np.array([[0.0], [0.0], [1.0], [2.0], [3.0]])
    w = np.array([1.0, 1.0, 1.0, 0.0, 0.0])                       # two distinct weighted points
    with pytest.warns(FewerDistinctPointsWarning, match=r'\(2\) found smaller than n_clusters \(3\)'):
        labels, _, _ = kmeans(X, 3, np.random.default_rng(0), w)
    assert np.bincount(labels, minlength=3).min() >= 1

def test_no_warning_on_ordinary_data():
    X = data(200, 2, 3, seed=15)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        labels, _, _ = kmeans(X, 3, np.random.default_rng(0))
    assert np.bincount(labels, minlength=3).min() >= 1

def test_more_clusters_than_rows_is_a_clear_error():
    with pytest.raises(ValueError, match='at least n_clusters=5 rows; got 3'):
        kmeans(np.zeros((3, 2)), 5, np.random.default_rng(0))

def test_empty_clusters_are_refilled_and_the_inertia_never_increases(layout):
    X = data(40, 2, 3, seed=16)
    for s in range(10):                                          # many clusters for few points: empties happen
        labels, centres, history = kmeans(X, 25, np.random.default_rng(s))
        assert np.bincount(labels, minlength=25).min() >= 1
        assert np.all(np.diff(history) <= 1e-9 * history[0])

@pytest.mark.parametrize('n,d,K', SHAPES + [(400, 6, 12), (300, 2, 1)])
@pytest.mark.parametrize('weighted', [False, 'some zero'])
@pytest.mark.filterwarnings('ignore::gmm_literate.initialization.FewerDistinctPointsWarning')  # n=5, K=4
def test_hamerly_bounds_change_nothing(n, d, K, weighted, layout):
    X = data(n, d, K, seed=15)
    w = None
    if weighted:
        w = np.random.default_rng(16).uniform(0.2, 3.0, n)
        w[::3] = 0.0                                                   # rows that count for nothing
    plain = kmeans(X, K, np.random.default_rng(4), w, bounds=False)
    measured = []
    fast = kmeans(X, K, np.random.default_rng(4), w, bounds=True, trace=measured)
    np.testing.assert_array_equal(fast[0], plain[0])
    np.testing.assert_allclose(fast[1], plain[1], rtol=1e-10, atol=1e-10)
    assert len(fast[2]) == len(plain[2])
    np.testing.assert_allclose(fast[2], plain[2], rtol=1e-9, atol=1e-9 * max(plain[2][0], 1.0))

def test_hamerly_bounds_skip_rows():
    X = data(2000, 3, 6, seed=17)
    measured = []
    fast = kmeans(X, 8, np.random.default_rng(1), bounds=True, trace=measured)
    plain = kmeans(X, 8, np.random.default_rng(1), bounds=False)
    np.testing.assert_array_equal(fast[0], plain[0])
    assert measured[0] == len(X) and min(measured) < len(X) / 2               # the bounds did skip rows

def test_a_cluster_emptied_during_bounded_passes_sends_the_iteration_back_to_a_full_pass(monkeypatch):
    # Found by search: from the seeds 1, 17 and 3, the cluster of 1 loses its last row in the third pass,
    # which is a bounded one; the iteration must measure every row again and refill it, as without bounds.
    X = np.array([[3.0], [13.0], [1.0], [15.0], [3.0], [17.0], [9.0], [10.0], [10.0]])
    monkeypatch.setattr(init, '_seed', lambda rows, K, rng, trials, pool: np.array([2, 5, 4]))
    full_passes, real = [], init._lloyd_pass
    monkeypatch.setattr(init, '_lloyd_pass', lambda *a: full_passes.append(1) or real(*a))
    fast = kmeans(X, 3, np.random.default_rng(0), bounds=True)
    assert len(full_passes) == 4     # the first, the fallback, the one after the refill, the final assignment
    plain = kmeans(X, 3, np.random.default_rng(0), bounds=False)
    np.testing.assert_array_equal(fast[0], plain[0])
    np.testing.assert_allclose(fast[1], plain[1], rtol=1e-12)
    np.testing.assert_allclose(fast[2], plain[2], rtol=1e-12)
