"""The action server: answers, personalised advice and the assessment form (rasa-sdk)."""
