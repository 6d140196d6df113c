"""Both ends of the sync protocol with the provincial server (DESIGN.md, "Sync protocol")."""
