"""The briefing deck: slides built from the data, and each slide's map drawn as a picture for a projector."""
