"""The seed's pure-Python loop: the blog's helper functions and training loop, as the blog wrote them.

Copied verbatim from the blog post minigd grew from (only the loop is wrapped in `run`, so that the benchmark can
time it). It draws from Python's global `random` module, as the blog did; `run(seed)` calls `random.seed(seed)`
first, which makes it comparable with `minigd.fit(..., seed=seed)`. Used by bench/benchmark.py only.
"""
import random
from typing import TypeVar, List, Iterator

Vector = List[float]

def add(vector1: Vector, vector2: Vector) -> Vector:
    assert len(vector1) == len(vector2)
    return [v1 + v2 for v1, v2 in zip(vector1, vector2)]

def vector_sum(vectors: List[Vector]) -> Vector:
    assert vectors

    vector_length = len(vectors[0])
    assert all(len(v) == vector_length for v in vectors)

    sums = [0] * vector_length
    for vector in vectors:
        sums = add(sums, vector)

    return sums

def scalar_multiply(c: float, vector: Vector) -> Vector:
    return [c * v for v in vector]

def vector_mean(vectors: List[Vector]) -> Vector:
    n = len(vectors)
    return scalar_multiply(1/n, vector_sum(vectors))

def gradient_step(v: Vector, gradient: Vector, step_size: float) -> Vector:
    """Return vector adjusted with step. Step is gradient times step size.
    """
    step = scalar_multiply(step_size, gradient)
    return add(v, step)

def linear_gradient(x: float, y: float, theta: Vector) -> Vector:
    slope, intercept = theta
    predicted = slope * x + intercept
    error = (predicted - y) #** 2
    # print(x, y, theta, predicted, error)
    return [2 * error * x, 2 * error]

T = TypeVar('T')

def minibatches(dataset: List[T], batch_size=int, shuffle: bool = True) -> Iterator[List[T]]:
    batch_starts = [start for start in range(0, len(dataset), batch_size)]

    if shuffle: random.shuffle(batch_starts)

    for start in batch_starts:
        end = start + batch_size
        yield dataset[start:end]

def run(seed=0, epochs=1000):
    "The blog's training loop after `random.seed(seed)`; returns the final theta."
    random.seed(seed)
    inputs = [(x, 20 * x + 5) for x in range(-50, 50)]
    theta = [random.uniform(-1, 1), random.uniform(-1, 1)]
    learning_rate = 0.001

    minibatch_results = []

    for epoch in range(epochs):
        for batch in minibatches(inputs, batch_size=20):
            grad = vector_mean([linear_gradient(x, y, theta) for x, y in batch])
            theta = gradient_step(theta, grad, -learning_rate)
        minibatch_results.append([epoch, theta])
    return theta
