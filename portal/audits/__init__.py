"""The audit engine: process descriptions, answers, the lifecycle and the audit pages."""
