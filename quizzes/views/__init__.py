"""The learner's quiz pages, by feature: taking a quiz, results, review and progress."""
