-- Temporal's two databases beside SkillFlow's read model on the same PostgreSQL server (docker-compose.yml).
CREATE DATABASE temporal OWNER skillflow;
CREATE DATABASE temporal_visibility OWNER skillflow;
