"""The clinic's muscle-spasm self-care assistant: Rasa components, policies, tools."""
