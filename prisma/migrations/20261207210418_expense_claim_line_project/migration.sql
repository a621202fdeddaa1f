-- AlterTable
ALTER TABLE "expense_claim_line" ADD COLUMN     "project_id" UUID;

-- AddForeignKey
ALTER TABLE "expense_claim_line" ADD CONSTRAINT "expense_claim_line_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

