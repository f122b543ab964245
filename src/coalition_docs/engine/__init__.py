"""The build engine: manifest of outputs, staging and atomic swap, the order of a build."""
